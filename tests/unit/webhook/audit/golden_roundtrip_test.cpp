// The contract between the writer of jailkeeper.io/status (webhook/handler) and audit: every
// patched pod in the golden fixtures, exactly as the webhook leaves it, reads back intact.
#include <filesystem>

#include <gtest/gtest.h>

#include "tests/unit/webhook/audit/audit_fixture.h"
#include "webhook/audit/verdict.h"

namespace jk::audit {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> patched_golden_cases() {
  std::vector<std::string> out;
  for (const auto& dir :
       fs::directory_iterator(fs::path(JK_SOURCE_DIR) / "tests/fixtures/golden")) {
    if (!fs::exists(dir.path() / "expected-pod.json")) continue;
    const auto pod = testing::golden_pod(dir.path().filename().string());
    if (pod["metadata"]["annotations"].contains("jailkeeper.io/status")) {
      out.push_back(dir.path().filename().string());
    }
  }
  return out;
}

TEST(GoldenRoundTrip, EveryPatchedGoldenPodReadsBackUntampered) {
  const auto cases = patched_golden_cases();
  ASSERT_GE(cases.size(), 10U);  // the fixtures are there
  for (const auto& name : cases) {
    const AuditRow row = evaluate(decode_pod(testing::golden_pod(name)), PodContext{});
    if (row.recorded_os == "unknown") {
      EXPECT_EQ(row.verdict, Verdict::kDrift) << name << ": " << row.reason;
    } else {
      EXPECT_EQ(row.verdict, Verdict::kOk) << name << ": " << row.reason;
    }
    EXPECT_FALSE(row.jail.empty()) << name;
  }
}

}  // namespace
}  // namespace jk::audit
