#include "webhook/audit/status_record.h"

#include <gtest/gtest.h>

#include "tests/unit/webhook/audit/audit_fixture.h"

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
  EXPECT_TRUE(r->capabilities.empty()) << "option A: Unconfined, no capability";
  EXPECT_TRUE(r->seccomp_unconfined);
  EXPECT_EQ(r->containers, std::vector<std::string>{"agent"});
  EXPECT_TRUE(r->unwrapped.empty());
  ASSERT_EQ(r->grants.size(), 1U);
  EXPECT_EQ(r->grants[0].container, "agent");
  EXPECT_TRUE(r->grants[0].seccomp_unconfined);
}

TEST(StatusRecord, ReadsPerContainerGrantsAndFallbacks) {
  const auto r = decode_status(
      R"({"version":1,"nodeOS":"amazon-linux","jail":"nsjail","fallback":["landjail"],)"
      R"("grants":[{"container":"a","add":["SETFCAP"],"seccompUnconfined":false,"why":["x"]},)"
      R"({"container":"b","add":[],"seccompUnconfined":true}],"containers":["a","b"]})");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->fallback, std::vector<std::string>{"landjail"});
  ASSERT_EQ(r->grants.size(), 2U);
  EXPECT_EQ(r->grants[0].add, std::vector<std::string>{"SETFCAP"});
  EXPECT_TRUE(r->grants[1].seccomp_unconfined);
  for (
      const char* bad :
      {R"({"version":1,"nodeOS":"a","jail":"nsjail","containers":[],"fallback":["x"]})",
       R"({"version":1,"nodeOS":"a","jail":"nsjail","containers":[],"grants":{}})",
       R"({"version":1,"nodeOS":"a","jail":"nsjail","containers":[],"grants":[1]})",
       R"({"version":1,"nodeOS":"a","jail":"nsjail","containers":[],"grants":[{"add":[]}]})",
       R"({"version":1,"nodeOS":"a","jail":"nsjail","containers":[],"grants":[{"container":"a","add":"X"}]})"}) {
    EXPECT_FALSE(decode_status(bad).ok()) << bad;
  }
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
