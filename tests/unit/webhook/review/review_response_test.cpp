// The AdmissionReview answer, written directly: base64 patch, status, warnings, annotations;
// always valid JSON.
#include "webhook/review/review_response.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "webhook/review/admission_review.h"

namespace jk::review {
namespace {

TEST(EncodeResponse, PatchIsBase64JsonPatch) {
  AdmissionResponse r;
  r.uid = "abc";
  r.patch = R"([{"op":"add","path":"/a","value":1}])";
  const std::vector<std::string> warnings = {"w"};
  const std::map<std::string, std::string> annotations = {{"jail", "nsjail"}};
  r.warnings = warnings;
  r.audit_annotations = &annotations;
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
  const std::string message("bad \xff\xfe byte");
  r.status_message = message;
  const std::vector<std::string> warnings = {std::string("w\xc3"), "\x01ctl"};
  const std::map<std::string, std::string> annotations = {{"k\"", "v\\"}};
  r.warnings = warnings;
  r.audit_annotations = &annotations;
  const auto out = nlohmann::json::parse(encode_response(kV1, r), nullptr, false);
  ASSERT_FALSE(out.is_discarded());
  EXPECT_EQ(out["response"]["uid"], "u\"1\n");
  EXPECT_EQ(out["response"]["warnings"][1], "\x01ctl");
  EXPECT_EQ(out["response"]["auditAnnotations"]["k\""], "v\\");
}

TEST(EncodeResponse, AppendsToTheCallersBuffer) {
  AdmissionResponse r;
  r.uid = "abc";
  std::string out = "kept";
  encode_response(kV1, r, out);
  EXPECT_EQ(out.substr(0, 4), "kept");
  EXPECT_EQ(nlohmann::json::parse(out.substr(4))["response"]["uid"], "abc");
}

}  // namespace
}  // namespace jk::review
