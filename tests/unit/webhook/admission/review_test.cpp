#include "webhook/admission/review.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace jk::admission {
namespace {

std::string read_fixture(const std::string& name) {
  std::ifstream in(std::string(JK_SOURCE_DIR) + "/tests/fixtures/k8s/" + name);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(DecodeReview, ReadsAReviewWithEveryField) {
  const std::string body = read_fixture("admission-review-every-field.json");
  ASSERT_FALSE(body.empty()) << "missing tests/fixtures/k8s/admission-review-every-field.json";
  auto req = decode_review(body);
  ASSERT_TRUE(req.ok()) << req.error().message;
  EXPECT_EQ(req->api_version, kV1);
  EXPECT_EQ(req->uid, "uidValue");
  EXPECT_EQ(req->group, "groupValue");
  EXPECT_EQ(req->kind, "kindValue");
  EXPECT_EQ(req->sub_resource, "subResourceValue");
  EXPECT_EQ(req->operation, "operationValue");
  EXPECT_EQ(req->namespace_name, "namespaceValue");
  EXPECT_EQ(req->name, "nameValue");
  EXPECT_TRUE(req->dry_run);
  EXPECT_EQ(req->object["kind"], "CustomType");
  EXPECT_FALSE(req->is_pod_create());
}

TEST(DecodeReview, PodCreateV1beta1) {
  auto req = decode_review(R"({"apiVersion":"admission.k8s.io/v1beta1","kind":"AdmissionReview",
    "request":{"uid":"u1","kind":{"group":"","version":"v1","kind":"Pod"},"operation":"CREATE",
    "namespace":"dev","object":{"kind":"Pod"}}})");
  ASSERT_TRUE(req.ok()) << req.error().message;
  EXPECT_EQ(req->api_version, kV1beta1);
  EXPECT_TRUE(req->is_pod_create());
  EXPECT_FALSE(req->dry_run);
}

struct BadCase {
  std::string body;
  std::string want;  // substring of the error
};

class DecodeReviewRejects : public testing::TestWithParam<BadCase> {};

TEST_P(DecodeReviewRejects, WithAReason) {
  auto req = decode_review(GetParam().body);
  ASSERT_FALSE(req.ok());
  EXPECT_NE(req.error().message.find(GetParam().want), std::string::npos) << req.error().message;
}

INSTANTIATE_TEST_SUITE_P(
    Table, DecodeReviewRejects,
    testing::Values(
        BadCase{"", "not valid JSON"}, BadCase{"{", "not valid JSON"},
        BadCase{"[]", "expected an AdmissionReview object"},
        BadCase{R"({"kind":"Pod","apiVersion":"v1"})", "expected AdmissionReview"},
        BadCase{R"({"kind":"AdmissionReview","apiVersion":"admission.k8s.io/v2"})", "unsupported"},
        BadCase{R"({"kind":"AdmissionReview","apiVersion":"admission.k8s.io/v1"})", "request: missing"},
        BadCase{R"({"kind":"AdmissionReview","apiVersion":"admission.k8s.io/v1","request":{}})",
                "request.uid: missing"},
        BadCase{R"({"kind":"AdmissionReview","apiVersion":"admission.k8s.io/v1","request":{"uid":7}})",
                "request.uid: expected a string"},
        BadCase{R"({"kind":"AdmissionReview","apiVersion":"admission.k8s.io/v1","request":{"uid":"x",
                 "kind":{"kind":"Pod"},"operation":"CREATE","dryRun":"yes"}})",
                "request.dryRun"},
        BadCase{R"({"kind":1})", "kind: expected a string"}));

TEST(EncodeResponse, PatchIsBase64JsonPatch) {
  AdmissionResponse r;
  r.uid = "abc";
  r.patch = R"([{"op":"add","path":"/a","value":1}])";
  r.warnings = {"w"};
  r.audit_annotations = {{"jail", "nsjail"}};
  const auto out = nlohmann::json::parse(encode_response(kV1, r));
  EXPECT_EQ(out["apiVersion"], "admission.k8s.io/v1");
  EXPECT_EQ(out["kind"], "AdmissionReview");
  EXPECT_EQ(out["response"]["uid"], "abc");
  EXPECT_EQ(out["response"]["allowed"], true);
  EXPECT_EQ(out["response"]["patchType"], "JSONPatch");
  EXPECT_EQ(out["response"]["patch"], "W3sib3AiOiJhZGQiLCJwYXRoIjoiL2EiLCJ2YWx1ZSI6MX1d");
  EXPECT_EQ(out["response"]["warnings"][0], "w");
  EXPECT_EQ(out["response"]["auditAnnotations"]["jail"], "nsjail");
}

TEST(EncodeResponse, DenialCarriesStatus) {
  AdmissionResponse r;
  r.uid = "abc";
  r.allowed = false;
  r.status_code = 403;
  r.status_message = "pin it";
  const auto out = nlohmann::json::parse(encode_response(kV1beta1, r));
  EXPECT_EQ(out["apiVersion"], "admission.k8s.io/v1beta1");
  EXPECT_EQ(out["response"]["allowed"], false);
  EXPECT_FALSE(out["response"].contains("patch"));
  EXPECT_EQ(out["response"]["status"]["code"], 403);
  EXPECT_EQ(out["response"]["status"]["message"], "pin it");
}

TEST(EncodeResponse, AlwaysValidJsonEvenForInvalidUtf8) {
  AdmissionResponse r;
  r.uid = "u\"1\n";
  r.allowed = false;
  r.status_code = 400;
  r.status_message = std::string("bad \xff\xfe byte");
  r.warnings = {std::string("w\xc3"), "\x01ctl"};
  r.audit_annotations = {{"k\"", "v\\"}};
  const auto out = nlohmann::json::parse(encode_response(kV1, r), nullptr, false);
  ASSERT_FALSE(out.is_discarded());
  EXPECT_EQ(out["response"]["uid"], "u\"1\n");
  EXPECT_EQ(out["response"]["warnings"][1], "\x01ctl");
  EXPECT_EQ(out["response"]["auditAnnotations"]["k\""], "v\\");
}

}  // namespace
}  // namespace jk::admission
