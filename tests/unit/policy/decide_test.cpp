#include "webhook/policy/decide.h"

#include <gtest/gtest.h>

namespace jk::policy {
namespace {

using T = Target;
using launchspec::JailType;

Prediction of(std::vector<Target> targets) {
  Prediction p;
  p.targets = std::move(targets);
  p.candidates = p.targets.size();
  p.basis = "inventory";
  return p;
}

struct DecideCase {
  std::string name;
  std::vector<Target> targets;
  JailType jail;
  std::vector<std::string> caps;
  bool unconfined;
  bool userns;
  std::string os_label;
};

class DecisionTable : public testing::TestWithParam<DecideCase> {};

// The decision table of DESIGN.md with the default config.
TEST_P(DecisionTable, DefaultProfiles) {
  const DecideCase& c = GetParam();
  const Decision d = decide(of(c.targets), PolicyConfig{});
  ASSERT_FALSE(d.denied) << d.deny_message;
  EXPECT_EQ(d.profile.jail, c.jail);
  EXPECT_EQ(d.profile.capabilities, c.caps);
  EXPECT_EQ(d.profile.seccomp_unconfined, c.unconfined);
  EXPECT_EQ(d.profile.user_namespace, c.userns);
  EXPECT_EQ(d.node_os_label, c.os_label);
}

INSTANTIATE_TEST_SUITE_P(
    Table, DecisionTable,
    testing::Values(
        DecideCase{"al", {T::kAmazonLinux}, JailType::kNsjail, {"NET_ADMIN"}, false, true, "amazon-linux"},
        DecideCase{"br", {T::kBottlerocket}, JailType::kNsjail, {"NET_ADMIN"}, true, true, "bottlerocket"},
        DecideCase{"br_auto", {T::kBottlerocketNoUserns}, JailType::kNsjail, {"NET_ADMIN", "SYS_ADMIN"},
                   false, false, "bottlerocket"},
        DecideCase{"fargate", {T::kFargate}, JailType::kLandjail, {}, false, true, "fargate"},
        DecideCase{"other", {T::kOther}, JailType::kNsjail, {"NET_ADMIN"}, false, true, "other"},
        DecideCase{"unknown", {}, JailType::kNsjail, {"NET_ADMIN"}, true, true, "unknown"},
        // AL + Bottlerocket = NET_ADMIN + Unconfined (the union that works on both).
        DecideCase{"al_br", {T::kAmazonLinux, T::kBottlerocket}, JailType::kNsjail, {"NET_ADMIN"},
                   true, true, "mixed"},
        DecideCase{"br_both", {T::kBottlerocket, T::kBottlerocketNoUserns}, JailType::kNsjail,
                   {"NET_ADMIN", "SYS_ADMIN"}, true, false, "bottlerocket"},
        // EC2 + Fargate: only the capability-free jail (with its seccompjail fallback) runs on all.
        DecideCase{"al_fargate", {T::kAmazonLinux, T::kFargate}, JailType::kLandjail, {}, false, true,
                   "mixed"}),
    [](const testing::TestParamInfo<DecideCase>& param_info) { return param_info.param.name; });

TEST(Decide, UnknownWarnsAndCanDeny) {
  PolicyConfig config;
  Decision d = decide(of({}), config);
  ASSERT_EQ(d.warnings.size(), 1U);
  EXPECT_NE(d.warnings[0].find("unknown"), std::string::npos);
  config.unknown = UnknownStrategy::kDeny;
  d = decide(of({}), config);
  EXPECT_TRUE(d.denied);
  EXPECT_NE(d.deny_message.find("nodeSelector"), std::string::npos);
}

TEST(Decide, MixedCanBeDenied) {
  PolicyConfig config;
  config.mixed = MixedStrategy::kDeny;
  const Decision d = decide(of({T::kAmazonLinux, T::kBottlerocket}), config);
  EXPECT_TRUE(d.denied);
  EXPECT_NE(d.deny_message.find("amazon-linux, bottlerocket"), std::string::npos);
}

TEST(Decide, MixedWithoutCommonJailIsDenied) {
  PolicyConfig config;
  config.profiles.fargate.fallback.clear();  // landjail only: cannot run on old EC2 kernels
  const Decision d = decide(of({T::kAmazonLinux, T::kFargate}), config);
  EXPECT_TRUE(d.denied);
}

TEST(Decide, BottlerocketOptionB) {
  PolicyConfig config;
  config.profiles.bottlerocket = Profile{JailType::kNsjail, {}, true, {"NET_ADMIN", "SYS_ADMIN"}, false};
  const Decision d = decide(of({T::kBottlerocket}), config);
  EXPECT_EQ(d.profile.capabilities, (std::vector<std::string>{"NET_ADMIN", "SYS_ADMIN"}));
  EXPECT_FALSE(d.profile.seccomp_unconfined);
}

TEST(Decide, FargateOldKernelWarnsNamingKernelAndRequirement) {
  Prediction p = of({T::kFargate});
  p.max_fargate_kernel = KernelVersion{5, 10, 234};
  PolicyConfig config;
  Decision d = decide(p, config);
  ASSERT_FALSE(d.denied);
  ASSERT_EQ(d.warnings.size(), 1U);
  EXPECT_NE(d.warnings[0].find("5.10.234"), std::string::npos);
  EXPECT_NE(d.warnings[0].find("6.7"), std::string::npos);
  EXPECT_NE(d.warnings[0].find("seccompjail"), std::string::npos);
  config.fargate_old_kernel = OldKernelStrategy::kDeny;
  d = decide(p, config);
  EXPECT_TRUE(d.denied);
  EXPECT_NE(d.deny_message.find("5.10.234"), std::string::npos);
}

TEST(Decide, FargateKernelBelowSeccompAddfdSaysNoJailCanStart) {
  Prediction p = of({T::kFargate});
  p.max_fargate_kernel = KernelVersion{5, 4, 0};
  const Decision d = decide(p, PolicyConfig{});
  ASSERT_EQ(d.warnings.size(), 1U);
  EXPECT_NE(d.warnings[0].find("no jail can start"), std::string::npos) << d.warnings[0];
  EXPECT_LE(d.warnings[0].size(), 120U);
}

TEST(Decide, FargateNewKernelHasNoWarning) {
  Prediction p = of({T::kFargate});
  p.max_fargate_kernel = KernelVersion{6, 7, 0};
  EXPECT_TRUE(decide(p, PolicyConfig{}).warnings.empty());
  p.max_fargate_kernel.reset();  // no Fargate node known: nothing to say
  EXPECT_TRUE(decide(p, PolicyConfig{}).warnings.empty());
}

TEST(Unite, EmptyHasNoUnion) { EXPECT_FALSE(unite({}).has_value()); }

}  // namespace
}  // namespace jk::policy
