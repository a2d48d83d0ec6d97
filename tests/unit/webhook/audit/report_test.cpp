#include "webhook/audit/report.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace jk::audit {
namespace {

AuditRow row(std::string pod, Verdict verdict, std::string reason = "") {
  AuditRow r;
  r.namespace_name = "agents";
  r.pod = std::move(pod);
  r.node = "ip-10-0-0-1";
  r.node_os = "amazon-linux";
  r.kernel = "6.1.119";
  r.arch = "arm64";
  r.recorded_os = "amazon-linux";
  r.jail = "nsjail";
  r.verdict = verdict;
  r.reason = std::move(reason);
  return r;
}

TEST(Report, TableAlignsColumnsAndEndsWithTheSummary) {
  AuditRow pending = row("a-much-longer-pod-name", Verdict::kUnpatched, "no status");
  pending.node = "pending";
  pending.node_os = pending.kernel = pending.arch = pending.recorded_os = pending.jail = "";
  const std::string table = format_table({row("a", Verdict::kOk), pending});
  EXPECT_EQ(table,
            "NAMESPACE  POD                     NODE         NODE-OS       KERNEL   ARCH   "
            "RECORDED-OS   JAIL    VERDICT    REASON\n"
            "agents     a                       ip-10-0-0-1  amazon-linux  6.1.119  arm64  "
            "amazon-linux  nsjail  OK         -\n"
            "agents     a-much-longer-pod-name  pending      -             -        -      "
            "-             -       UNPATCHED  no status\n"
            "2 pods: 1 OK, 1 UNPATCHED, 0 DRIFT, 0 TAMPERED, 0 SKIPPED\n");
}

TEST(Report, SummaryCountsEveryVerdict) {
  const std::vector<AuditRow> rows = {row("a", Verdict::kOk),      row("b", Verdict::kUnpatched),
                                      row("c", Verdict::kDrift),   row("d", Verdict::kTampered),
                                      row("e", Verdict::kSkipped), row("f", Verdict::kTampered)};
  EXPECT_EQ(summary_line(rows), "6 pods: 1 OK, 1 UNPATCHED, 1 DRIFT, 2 TAMPERED, 1 SKIPPED\n");
  EXPECT_EQ(summary_line({row("a", Verdict::kOk)}),
            "1 pod: 1 OK, 0 UNPATCHED, 0 DRIFT, 0 TAMPERED, 0 SKIPPED\n");
  EXPECT_EQ(summary_line({}), "0 pods: 0 OK, 0 UNPATCHED, 0 DRIFT, 0 TAMPERED, 0 SKIPPED\n");
}

TEST(Report, JsonIsOneArrayWithTheDocumentedFields) {
  const auto j = nlohmann::json::parse(format_json({row("a", Verdict::kDrift, "why")}));
  ASSERT_TRUE(j.is_array());
  ASSERT_EQ(j.size(), 1U);
  EXPECT_EQ(j[0], nlohmann::json({{"namespace", "agents"},
                                  {"pod", "a"},
                                  {"node", "ip-10-0-0-1"},
                                  {"nodeOS", "amazon-linux"},
                                  {"kernel", "6.1.119"},
                                  {"arch", "arm64"},
                                  {"recordedOS", "amazon-linux"},
                                  {"jail", "nsjail"},
                                  {"verdict", "DRIFT"},
                                  {"reason", "why"}}));
  EXPECT_EQ(nlohmann::json::parse(format_json({})), nlohmann::json::array());
}

struct ExitCase {
  std::vector<Verdict> verdicts;
  int code;
};

class ExitCodes : public ::testing::TestWithParam<ExitCase> {};

TEST_P(ExitCodes, ZeroOnlyWhenEveryPodIsOkOrSkipped) {
  std::vector<AuditRow> rows;
  for (const auto v : GetParam().verdicts) rows.push_back(row("p", v));
  EXPECT_EQ(exit_code(rows), GetParam().code);
}

INSTANTIATE_TEST_SUITE_P(Table, ExitCodes,
                         ::testing::Values(ExitCase{{}, 0}, ExitCase{{Verdict::kOk}, 0},
                                           ExitCase{{Verdict::kOk, Verdict::kSkipped}, 0},
                                           ExitCase{{Verdict::kOk, Verdict::kUnpatched}, 1},
                                           ExitCase{{Verdict::kDrift}, 1},
                                           ExitCase{{Verdict::kSkipped, Verdict::kTampered}, 1}));

}  // namespace
}  // namespace jk::audit
