#include "webhook/review/admission_review.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace jk::review {
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
  JsonArena arena;
  auto req = decode_review(body, arena);
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
  EXPECT_EQ(req->object->at("kind"), "CustomType");
  EXPECT_FALSE(req->is_pod_create());
}

TEST(DecodeReview, PodCreateV1beta1) {
  JsonArena arena;
  auto req = decode_review(R"({"apiVersion":"admission.k8s.io/v1beta1","kind":"AdmissionReview",
    "request":{"uid":"u1","kind":{"group":"","version":"v1","kind":"Pod"},"operation":"CREATE",
    "namespace":"dev","object":{"kind":"Pod"}}})",
                           arena);
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
  JsonArena arena;
  auto req = decode_review(GetParam().body, arena);
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
        BadCase{R"({"kind":"AdmissionReview","apiVersion":"admission.k8s.io/v1"})",
                "request: missing"},
        BadCase{R"({"kind":"AdmissionReview","apiVersion":"admission.k8s.io/v1","request":{}})",
                "request.uid: missing"},
        BadCase{
            R"({"kind":"AdmissionReview","apiVersion":"admission.k8s.io/v1","request":{"uid":7}})",
            "request.uid: expected a string"},
        BadCase{
            R"({"kind":"AdmissionReview","apiVersion":"admission.k8s.io/v1","request":{"uid":"x",
                 "kind":{"kind":"Pod"},"operation":"CREATE","dryRun":"yes"}})",
            "request.dryRun"},
        BadCase{R"({"kind":1})", "kind: expected a string"},
        BadCase{R"({"kind":"AdmissionReview","apiVersion":"admission.k8s.io/v1","request":null})",
                "request: expected an object"},
        BadCase{R"({"kind":"AdmissionReview"} x)", "not valid JSON"},
        BadCase{"{\"kind\":\"\xff\"}", "not valid JSON"},
        // A skipped subtree is still parsed: broken JSON there is broken JSON.
        BadCase{R"({"kind":"AdmissionReview","request":{"oldObject":{"a":[1,}}})",
                "not valid JSON"},
        BadCase{std::string(kMaxJsonDepth + 1, '[') + std::string(kMaxJsonDepth + 1, ']'),
                "not valid JSON"}));

TEST(DecodeReview, SkipsManagedFieldsAndOldObjectOfARealCreate) {
  // The shape kube-apiserver sends for a controller's CREATE: metadata.managedFields (~6 KB
  // here) that the webhook never reads, oldObject null.
  const std::string body = read_fixture("admission-review-create-managed-fields.json");
  ASSERT_FALSE(body.empty());
  JsonArena arena;
  auto req = decode_review(body, arena);
  ASSERT_TRUE(req.ok()) << req.error().message;
  EXPECT_TRUE(req->is_pod_create());
  const auto& metadata = req->object->at("metadata").as_object();
  EXPECT_FALSE(metadata.contains("managedFields"));
  EXPECT_TRUE(metadata.contains("ownerReferences"));
  EXPECT_FALSE(req->object->at("spec").as_object().empty());
  const auto* request = &(*arena.parse(body))->at("request").as_object();  // unskipped: there
  EXPECT_TRUE(request->at("object").at("metadata").as_object().contains("managedFields"));
}

TEST(DecodeReview, TheArenaIsReusedAndAnErrorLeavesNoStaleValue) {
  JsonArena arena;
  const std::string body = read_fixture("admission-review-create-managed-fields.json");
  for (int i = 0; i < 3; ++i) {
    auto req = decode_review(body, arena);
    ASSERT_TRUE(req.ok()) << req.error().message;
    EXPECT_EQ(arena.overflow_bytes(), 0U) << "a review of this size fits the kept buffer";
  }
  EXPECT_FALSE(decode_review("{\"kind\":", arena).ok());
  auto again = decode_review(body, arena);
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(again->kind, "Pod");
}

}  // namespace
}  // namespace jk::review
