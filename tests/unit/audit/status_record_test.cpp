#include "webhook/audit/status_record.h"

#include <gtest/gtest.h>

#include "tests/unit/audit/audit_fixture.h"

namespace jk::audit {
namespace {

TEST(StatusRecord, ReadsWhatTheWebhookWrites) {
  const auto pod = testing::golden_pod("bottlerocket-karpenter");
  const auto r =
      decode_status(pod["metadata"]["annotations"]["jailkeeper.io/status"].get<std::string>());
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->node_os, "bottlerocket");
  EXPECT_EQ(r->jail, "nsjail");
  EXPECT_TRUE(r->user_namespace);
  EXPECT_EQ(r->capabilities, std::vector<std::string>{"NET_ADMIN"});
  EXPECT_TRUE(r->seccomp_unconfined);
  EXPECT_EQ(r->containers, std::vector<std::string>{"agent"});
  EXPECT_TRUE(r->unwrapped.empty());
}

TEST(StatusRecord, ReadsCandidatesOfAMixedPrediction) {
  const auto pod = testing::golden_pod("mixed-union");
  const auto r =
      decode_status(pod["metadata"]["annotations"]["jailkeeper.io/status"].get<std::string>());
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->node_os, "mixed");
  EXPECT_EQ(r->candidate_os, (std::vector<std::string>{"amazon-linux", "bottlerocket-no-userns"}));
  EXPECT_FALSE(r->user_namespace);
}

struct BadStatus {
  const char* text;
  const char* error;
};

class StatusRecordErrors : public ::testing::TestWithParam<BadStatus> {};

TEST_P(StatusRecordErrors, NameTheProblem) {
  const auto r = decode_status(GetParam().text);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find(GetParam().error), std::string::npos) << r.error().message;
}

INSTANTIATE_TEST_SUITE_P(
    Table, StatusRecordErrors,
    ::testing::Values(
        BadStatus{"not json", "not a JSON object"}, BadStatus{"[1]", "not a JSON object"},
        BadStatus{R"({"nodeOS":"x","jail":"nsjail","containers":[]})", "version: expected 1"},
        BadStatus{R"({"version":2,"nodeOS":"x","jail":"nsjail","containers":[]})", "version"},
        BadStatus{R"({"version":1,"jail":"nsjail","containers":[]})", "nodeOS"},
        BadStatus{R"({"version":1,"nodeOS":"amazon-linux","containers":[]})", "jail"},
        BadStatus{R"({"version":1,"nodeOS":"amazon-linux","jail":"chroot","containers":[]})",
                  "unknown jail \"chroot\""},
        BadStatus{R"({"version":1,"nodeOS":"amazon-linux","jail":"nsjail"})", "containers"},
        BadStatus{R"({"version":1,"nodeOS":"amazon-linux","jail":"nsjail","containers":[1]})",
                  "containers"},
        BadStatus{
            R"({"version":1,"nodeOS":"a","jail":"nsjail","containers":[],"capabilities":"NET_ADMIN"})",
            "capabilities"},
        BadStatus{
            R"({"version":1,"nodeOS":"a","jail":"nsjail","containers":[],"seccompUnconfined":"yes"})",
            "seccompUnconfined"}));

}  // namespace
}  // namespace jk::audit
