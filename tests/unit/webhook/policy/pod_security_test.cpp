#include "webhook/policy/pod_security.h"

#include <gtest/gtest.h>

namespace jk::policy {
namespace {

const SecurityChange kNetAdmin{{"NET_ADMIN"}, false};
const SecurityChange kBottlerocketA{{"NET_ADMIN"}, true};
const SecurityChange kBottlerocketB{{"NET_ADMIN", "SYS_ADMIN"}, false};
const SecurityChange kLandjail{{}, false};

struct LevelCase {
  std::string name;
  PsaLevel level;
  SecurityChange change;
  std::vector<std::string> violations;
};

class Violations : public testing::TestWithParam<LevelCase> {};

TEST_P(Violations, AreWhatTheLevelForbidsOfThePatch) {
  EXPECT_EQ(psa_violations(GetParam().level, GetParam().change), GetParam().violations);
}

INSTANTIATE_TEST_SUITE_P(
    Table, Violations,
    testing::Values(
        LevelCase{"privileged_allows_everything",
                  PsaLevel::kPrivileged,
                  {{"NET_ADMIN", "SYS_ADMIN"}, true},
                  {}},
        LevelCase{"baseline_net_admin", PsaLevel::kBaseline, kNetAdmin, {"NET_ADMIN"}},
        LevelCase{"baseline_option_a",
                  PsaLevel::kBaseline,
                  kBottlerocketA,
                  {"NET_ADMIN", "seccomp Unconfined"}},
        LevelCase{
            "baseline_option_b", PsaLevel::kBaseline, kBottlerocketB, {"NET_ADMIN", "SYS_ADMIN"}},
        LevelCase{"baseline_landjail", PsaLevel::kBaseline, kLandjail, {}},
        LevelCase{"baseline_allowed_list",
                  PsaLevel::kBaseline,
                  {{"AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD",
                    "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT"},
                   false},
                  {}},
        LevelCase{
            "baseline_unconfined_only", PsaLevel::kBaseline, {{}, true}, {"seccomp Unconfined"}},
        LevelCase{"restricted_net_bind_service",
                  PsaLevel::kRestricted,
                  {{"NET_BIND_SERVICE"}, false},
                  {}},
        LevelCase{"restricted_chown", PsaLevel::kRestricted, {{"CHOWN"}, false}, {"CHOWN"}},
        LevelCase{"restricted_option_a",
                  PsaLevel::kRestricted,
                  kBottlerocketA,
                  {"NET_ADMIN", "seccomp Unconfined"}},
        LevelCase{"restricted_landjail", PsaLevel::kRestricted, kLandjail, {}}),
    [](const auto& param_info) { return param_info.param.name; });

TEST(PsaLevel, ParsesTheThreeLevelsAndTreatsAnythingElseAsRestricted) {
  EXPECT_EQ(parse_psa_level("privileged"), PsaLevel::kPrivileged);
  EXPECT_EQ(parse_psa_level("baseline"), PsaLevel::kBaseline);
  EXPECT_EQ(parse_psa_level("restricted"), PsaLevel::kRestricted);
  EXPECT_EQ(parse_psa_level("Baseline"), PsaLevel::kRestricted);
  EXPECT_EQ(parse_psa_level(""), PsaLevel::kRestricted);
}

struct CheckCase {
  std::string name;
  Labels labels;
  SecurityChange change;
  PodSecurityStrategy strategy;
  bool denied;
  std::vector<std::string> warnings;
};

class Check : public testing::TestWithParam<CheckCase> {};

TEST_P(Check, DeniesOrWarnsByLabelAndStrategy) {
  const CheckCase& c = GetParam();
  const PodSecurityVerdict v = check_pod_security("team-a", c.labels, c.change, c.strategy);
  EXPECT_EQ(v.denied, c.denied) << v.deny_message;
  EXPECT_EQ(v.warnings, c.warnings);
}

const std::string kEnforce(kPsaEnforceLabel);
const std::string kWarn(kPsaWarnLabel);
const std::string kAudit(kPsaAuditLabel);
constexpr auto kDeny = PodSecurityStrategy::kDeny;
constexpr auto kWarnOnly = PodSecurityStrategy::kWarn;

INSTANTIATE_TEST_SUITE_P(
    Table, Check,
    testing::Values(
        CheckCase{"no_label_is_privileged", {}, kBottlerocketB, kDeny, false, {}},
        CheckCase{
            "enforce_privileged", {{kEnforce, "privileged"}}, kBottlerocketB, kDeny, false, {}},
        CheckCase{"enforce_baseline_deny", {{kEnforce, "baseline"}}, kNetAdmin, kDeny, true, {}},
        CheckCase{"enforce_baseline_warn_strategy",
                  {{kEnforce, "baseline"}},
                  kBottlerocketA,
                  kWarnOnly,
                  false,
                  {"jailkeeper: pod-security.kubernetes.io/enforce=baseline forbids NET_ADMIN, "
                   "seccomp Unconfined (podSecurity: warn)"}},
        CheckCase{"enforce_restricted_landjail_passes",
                  {{kEnforce, "restricted"}},
                  kLandjail,
                  kDeny,
                  false,
                  {}},
        CheckCase{"enforce_version_is_ignored",
                  {{kEnforce, "baseline"}, {kEnforce + "-version", "v1.20"}},
                  kNetAdmin,
                  kDeny,
                  true,
                  {}},
        CheckCase{"warn_label_never_denies",
                  {{kWarn, "restricted"}},
                  kNetAdmin,
                  kDeny,
                  false,
                  {"jailkeeper: pod-security.kubernetes.io/warn=restricted forbids NET_ADMIN"}},
        CheckCase{"audit_label_warns",
                  {{kAudit, "baseline"}},
                  kBottlerocketA,
                  kDeny,
                  false,
                  {"jailkeeper: pod-security.kubernetes.io/audit=baseline forbids NET_ADMIN, "
                   "seccomp Unconfined"}},
        CheckCase{"warn_and_audit_privileged",
                  {{kWarn, "privileged"}, {kAudit, "privileged"}},
                  kBottlerocketB,
                  kDeny,
                  false,
                  {}},
        CheckCase{"enforce_warn_strategy_plus_warn_label",
                  {{kEnforce, "baseline"}, {kWarn, "restricted"}},
                  kNetAdmin,
                  kWarnOnly,
                  false,
                  {"jailkeeper: pod-security.kubernetes.io/enforce=baseline forbids NET_ADMIN "
                   "(podSecurity: warn)",
                   "jailkeeper: pod-security.kubernetes.io/warn=restricted forbids NET_ADMIN"}},
        CheckCase{"invalid_level_is_restricted",
                  {{kEnforce, "strict"}},
                  {{"CHOWN"}, false},
                  kDeny,
                  true,
                  {}}),
    [](const auto& param_info) { return param_info.param.name; });

TEST(CheckPodSecurity, DenyMessageNamesTheLabelValueAndTheWaysOut) {
  const PodSecurityVerdict v =
      check_pod_security("team-a", {{kEnforce, "baseline"}}, kBottlerocketA, kDeny);
  ASSERT_TRUE(v.denied);
  for (const std::string part :
       {"namespace \"team-a\"", "pod-security.kubernetes.io/enforce=baseline", "NET_ADMIN",
        "seccomp Unconfined", "landjail", "pod-security.kubernetes.io/enforce=privileged",
        "strategies.podSecurity: warn"}) {
    EXPECT_NE(v.deny_message.find(part), std::string::npos)
        << part << " missing in " << v.deny_message;
  }
}

}  // namespace
}  // namespace jk::policy
