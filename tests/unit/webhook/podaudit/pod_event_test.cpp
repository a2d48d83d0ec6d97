// The Event for a pod that turned DRIFT/TAMPERED/UNPATCHED: only for those turns, named so that
// the same finding always gets the same name.
#include "webhook/podaudit/pod_event.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace jk::podaudit {
namespace {

using audit::Verdict;
const auto kNow = std::chrono::system_clock::from_time_t(1714979289);

audit::AuditRow row(Verdict verdict, const std::string& reason) {
  audit::AuditRow r;
  r.namespace_name = "agents";
  r.pod = "claude-7";
  r.node = "ip-10-0-1-1";
  r.node_os = "bottlerocket";
  r.verdict = verdict;
  r.reason = reason;
  return r;
}

TEST(PodEvent, OnlyTurnsIntoABadVerdictOrANewReason) {
  struct Case {
    std::optional<audit::AuditRow> before;
    audit::AuditRow after;
    std::optional<std::string> reason;  // nullopt: no Event
  };
  const auto drift = row(Verdict::kDrift, "predicted amazon-linux, runs on bottlerocket");
  const std::vector<Case> cases = {
      {std::nullopt, row(Verdict::kOk, ""), std::nullopt},
      {std::nullopt, row(Verdict::kSkipped, "hostNetwork"), std::nullopt},
      {std::nullopt, drift, "JailDrift"},
      {row(Verdict::kOk, ""), drift, "JailDrift"},
      {drift, drift, std::nullopt},
      {drift, row(Verdict::kDrift, "another reason"), "JailDrift"},
      {drift, row(Verdict::kTampered, "agent: capability NET_ADMIN missing"), "JailTampered"},
      {std::nullopt, row(Verdict::kUnpatched, "no jailkeeper.io/status"), "JailUnpatched"},
  };
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const auto event = pod_event("uid-1", cases[i].before, cases[i].after, "replica-a", kNow);
    ASSERT_EQ(event.has_value(), cases[i].reason.has_value()) << i;
    if (!event) continue;
    const auto body = nlohmann::json::parse(event->body);
    EXPECT_EQ(body["reason"], *cases[i].reason) << i;
  }
}

TEST(PodEvent, BodyAndDeterministicName) {
  const auto after = row(Verdict::kDrift, "predicted amazon-linux, runs on bottlerocket");
  const auto event = pod_event("uid-1", std::nullopt, after, "replica-a", kNow);
  ASSERT_TRUE(event.has_value());
  const auto body = nlohmann::json::parse(event->body);
  EXPECT_EQ(body["metadata"]["name"], event->name);
  EXPECT_EQ(event->namespace_name, "agents");
  EXPECT_EQ(body["involvedObject"], nlohmann::json::parse(R"({"apiVersion":"v1","kind":"Pod",
      "namespace":"agents","name":"claude-7","uid":"uid-1"})"));
  EXPECT_EQ(body["type"], "Warning");
  EXPECT_EQ(body["message"],
            "DRIFT: predicted amazon-linux, runs on bottlerocket (node ip-10-0-1-1, bottlerocket)");
  EXPECT_EQ(body["firstTimestamp"], "2024-05-06T07:08:09Z");
  EXPECT_EQ(body["reportingInstance"], "replica-a");
  EXPECT_EQ(body["count"], 1);
  // Same finding, another replica, later: same name (the API server answers 409).
  const auto again =
      pod_event("uid-1", std::nullopt, after, "replica-b", kNow + std::chrono::hours(1));
  EXPECT_EQ(again->name, event->name);
  EXPECT_EQ(event->name.rfind("claude-7.jailkeeper-", 0), 0U) << event->name;
  // Another pod (uid) or another reason: another name.
  EXPECT_NE(pod_event("uid-2", std::nullopt, after, "a", kNow)->name, event->name);
  EXPECT_NE(pod_event("uid-1", std::nullopt, row(Verdict::kDrift, "other"), "a", kNow)->name,
            event->name);
}

TEST(PodEvent, LongNamesAndMessagesStayWithinLimits) {
  auto after = row(Verdict::kTampered, std::string(5000, 'x'));
  after.pod = std::string(253, 'p');
  const auto event = pod_event("u", std::nullopt, after, "a", kNow);
  ASSERT_TRUE(event.has_value());
  EXPECT_LE(event->name.size(), 253U);
  EXPECT_LE(nlohmann::json::parse(event->body)["message"].get<std::string>().size(), 1024U);
}

}  // namespace
}  // namespace jk::podaudit
