// decide(): the jail and the smallest grant per container, from the prediction, the default
// profiles and the pod's shape. The grants here are what the pod-shape matrix proves under
// containerd + runc (tests/integration/test_pod_shapes.py).
#include "webhook/policy/decide.h"

#include <gtest/gtest.h>

namespace jk::policy {
namespace {

using T = Target;
using launchspec::JailType;

Prediction of(std::vector<Target> targets, std::optional<KernelVersion> kernel = std::nullopt) {
  Prediction p;
  p.targets = std::move(targets);
  p.candidates = p.targets.size();
  p.basis = "inventory";
  const PolicyConfig defaults;
  for (const Target t : p.targets) {
    p.facts[t] = TargetFacts{kernel, !kernel, profile_for(t, defaults.profiles).seccomp_default};
  }
  return p;
}

ContainerShape root() { return ContainerShape{"agent", {}, false, {}, {}, {}, false, {}}; }
ContainerShape root_drop_all() {
  ContainerShape s = root();
  s.drop = {"ALL"};
  return s;
}
ContainerShape non_root() {
  ContainerShape s = root();
  s.run_as_user = 1000;
  return s;
}
ContainerShape restricted() {
  ContainerShape s = non_root();
  s.run_as_non_root = true;
  s.drop = {"ALL"};
  s.allow_privilege_escalation = false;
  s.seccomp = SeccompKind::kRuntimeDefault;
  return s;
}
ContainerShape runtime_default() {
  ContainerShape s = root();
  s.seccomp = SeccompKind::kRuntimeDefault;
  return s;
}

DecisionInput one(ContainerShape shape) { return DecisionInput{{std::move(shape)}, std::nullopt}; }

DecisionInput in_namespace(ContainerShape shape, std::string level) {
  DecisionInput in = one(std::move(shape));
  in.pod_security = PodSecurityContext{
      "agents", {{std::string(kPsaEnforceLabel), level}}, PodSecurityStrategy::kDeny};
  return in;
}

struct Case {
  std::string name;
  Prediction prediction;
  DecisionInput input;
  JailType jail;
  std::vector<std::string> add;
  bool unconfined;
};

class Grants : public testing::TestWithParam<Case> {};

TEST_P(Grants, AreTheSmallestThatStartTheJail) {
  const Case& c = GetParam();
  const Decision d = decide(c.prediction, PolicyConfig{}, c.input);
  ASSERT_FALSE(d.denied) << d.deny_message;
  EXPECT_EQ(d.jail, c.jail);
  ASSERT_EQ(d.grants.size(), 1U);
  EXPECT_EQ(d.grants[0].add, c.add);
  EXPECT_EQ(d.grants[0].seccomp_unconfined, c.unconfined);
  EXPECT_EQ(d.grants[0].why.size(), c.add.size() + (c.unconfined ? 1 : 0))
      << "every item of the grant says why";
}

INSTANTIATE_TEST_SUITE_P(
    Table, Grants,
    testing::Values(
        // Amazon Linux (user namespaces, no kubelet seccompDefault): the jail's namespaces need
        // nothing; a root container that dropped SETFCAP gets it back to map uid 0.
        Case{"al_root", of({T::kAmazonLinux}), one(root()), JailType::kNsjail, {}, false},
        Case{"al_root_drop_all",
             of({T::kAmazonLinux}),
             one(root_drop_all()),
             JailType::kNsjail,
             {"SETFCAP"},
             false},
        Case{"al_non_root", of({T::kAmazonLinux}), one(non_root()), JailType::kNsjail, {}, false},
        // RuntimeDefault opens clone(NEWUSER...) and mount only with SYS_ADMIN in the list.
        Case{"al_runtime_default",
             of({T::kAmazonLinux}),
             one(runtime_default()),
             JailType::kNsjail,
             {"SYS_ADMIN"},
             false},
        Case{"al_restricted_shape",
             of({T::kAmazonLinux}),
             one(restricted()),
             JailType::kNsjail,
             {"SYS_ADMIN"},
             false},
        // Bottlerocket: kubelet seccompDefault assumed; option A lifts it with Unconfined.
        Case{"br_root", of({T::kBottlerocket}), one(root()), JailType::kNsjail, {}, true},
        Case{"br_non_root", of({T::kBottlerocket}), one(non_root()), JailType::kNsjail, {}, true},
        // EKS Auto Mode: no user namespaces; root needs SYS_ADMIN + NET_ADMIN.
        Case{"auto_root",
             of({T::kBottlerocketNoUserns}),
             one(root()),
             JailType::kNsjail,
             {"NET_ADMIN", "SYS_ADMIN"},
             false},
        // ... a non-root container never holds capabilities: landjail on Linux >= 6.7.
        Case{"auto_non_root_new_kernel",
             of({T::kBottlerocketNoUserns}, KernelVersion{6, 12, 0}),
             one(non_root()),
             JailType::kLandjail,
             {},
             false},
        Case{"fargate", of({T::kFargate}), one(root()), JailType::kLandjail, {}, false},
        Case{"fargate_restricted_new_kernel",
             of({T::kFargate}, KernelVersion{6, 12, 0}),
             one(restricted()),
             JailType::kLandjail,
             {},
             false},
        // Old Fargate kernel: seccompjail; under RuntimeDefault it needs pidfd_getfd, which
        // only Unconfined can give there (Fargate refuses SYS_PTRACE like any added capability).
        Case{"fargate_old_kernel",
             of({T::kFargate}, KernelVersion{5, 10, 0}),
             one(root()),
             JailType::kSeccompjail,
             {},
             false},
        Case{"fargate_old_kernel_runtime_default",
             of({T::kFargate}, KernelVersion{5, 10, 0}),
             one(runtime_default()),
             JailType::kSeccompjail,
             {},
             true},
        Case{"privileged_needs_nothing",
             of({T::kBottlerocketNoUserns}),
             one(ContainerShape{"agent", {}, false, {}, {}, {}, true, {}}),
             JailType::kNsjail,
             {},
             false},
        // Pod Security restricted rules out every grant: landjail where the kernel has it.
        Case{"psa_restricted_new_kernel",
             of({T::kAmazonLinux}, KernelVersion{6, 12, 0}),
             in_namespace(restricted(), "restricted"),
             JailType::kLandjail,
             {},
             false},
        Case{"psa_baseline_root_drop_all",
             of({T::kAmazonLinux}),
             in_namespace(root_drop_all(), "baseline"),
             JailType::kNsjail,
             {"SETFCAP"},
             false},
        // Several kinds of node: what works on all of them.
        Case{"al_and_bottlerocket",
             of({T::kAmazonLinux, T::kBottlerocket}),
             one(root()),
             JailType::kNsjail,
             {},
             true},
        Case{"al_and_fargate",
             of({T::kAmazonLinux, T::kFargate}),
             one(root()),
             JailType::kLandjail,
             {},
             false},
        Case{"unknown_assumes_runtime_default", of({}), one(root()), JailType::kNsjail, {}, true}),
    [](const testing::TestParamInfo<Case>& param_info) { return param_info.param.name; });

TEST(Decide, BottlerocketOptionBAddsSysAdminInsteadOfUnconfined) {
  PolicyConfig config;
  config.profiles.bottlerocket.seccomp_lift = SeccompLift::kCapability;
  const Decision d = decide(of({T::kBottlerocket}), config, one(root()));
  EXPECT_EQ(d.grants[0].add, (std::vector<std::string>{"SYS_ADMIN"}));
  EXPECT_FALSE(d.grants[0].seccomp_unconfined);
}

TEST(Decide, EachContainerGetsItsOwnGrant) {
  const DecisionInput in{{root_drop_all(), non_root()}, std::nullopt};
  const Decision d = decide(of({T::kAmazonLinux}), PolicyConfig{}, in);
  ASSERT_EQ(d.grants.size(), 2U);
  EXPECT_EQ(d.grants[0].add, (std::vector<std::string>{"SETFCAP"}));
  EXPECT_TRUE(d.grants[1].add.empty()) << "a non-root container maps its own uid";
}

TEST(Decide, ARootContainerThatDropsSetfcapByNameRunsUnmappedAndSaysSo) {
  ContainerShape s = root();
  s.drop = {"SETFCAP"};
  const Decision d = decide(of({T::kAmazonLinux}), PolicyConfig{}, one(s));
  ASSERT_FALSE(d.denied);
  EXPECT_TRUE(d.grants[0].add.empty());
  ASSERT_EQ(d.grants[0].notes.size(), 1U);
  EXPECT_NE(d.grants[0].notes[0].find("unmapped"), std::string::npos) << d.grants[0].notes[0];
}

TEST(Decide, AnExplicitlyDroppedNeedRulesTheJailOutAndTheNextOneIsChosen) {
  ContainerShape s = root();
  s.drop = {"SYS_ADMIN"};
  const Decision d =
      decide(of({T::kBottlerocketNoUserns}, KernelVersion{6, 12, 0}), PolicyConfig{}, one(s));
  ASSERT_FALSE(d.denied) << d.deny_message;
  EXPECT_EQ(d.jail, JailType::kLandjail);
}

TEST(Decide, NoJailLeftIsADenialThatSaysWhyEachFailed) {
  const Decision d = decide(of({T::kAmazonLinux}, KernelVersion{6, 1, 0}), PolicyConfig{},
                            in_namespace(restricted(), "restricted"));
  ASSERT_TRUE(d.denied);
  for (const char* part : {"nsjail", "SYS_ADMIN", "restricted", "landjail", "6.7", "6.1.0",
                           "seccompjail", "SYS_PTRACE"}) {
    EXPECT_NE(d.deny_message.find(part), std::string::npos) << part << ": " << d.deny_message;
  }
}

TEST(Decide, PodSecurityWarnStrategyGrantsAndWarns) {
  DecisionInput in = in_namespace(runtime_default(), "baseline");
  in.pod_security->strategy = PodSecurityStrategy::kWarn;
  const Decision d = decide(of({T::kAmazonLinux}), PolicyConfig{}, in);
  ASSERT_FALSE(d.denied);
  EXPECT_EQ(d.grants[0].add, (std::vector<std::string>{"SYS_ADMIN"}));
  ASSERT_FALSE(d.warnings.empty());
  EXPECT_NE(d.warnings[0].find("SYS_ADMIN"), std::string::npos);
}

TEST(Decide, UnknownWarnsAndCanDeny) {
  PolicyConfig config;
  Decision d = decide(of({}), config, one(root()));
  ASSERT_EQ(d.warnings.size(), 1U);
  EXPECT_NE(d.warnings[0].find("unknown"), std::string::npos);
  config.unknown = UnknownStrategy::kDeny;
  d = decide(of({}), config, one(root()));
  EXPECT_TRUE(d.denied);
  EXPECT_NE(d.deny_message.find("nodeSelector"), std::string::npos);
}

TEST(Decide, APodThatMayLandOnAnArchitectureTheImageLacksIsAdmittedWithAWarning) {
  PolicyConfig config;
  config.launcher.architectures = {"amd64"};
  Prediction p = of({T::kAmazonLinux}, KernelVersion{6, 1, 0});
  const auto arch_warnings = [&](std::vector<std::string> archs) {
    p.architectures = std::move(archs);
    const Decision d = decide(p, config, one(root()));
    EXPECT_FALSE(d.denied);
    std::vector<std::string> out;
    for (const auto& w : d.warnings) {
      if (w.find("launcher image") != std::string::npos) out.push_back(w);
    }
    return out;
  };
  EXPECT_EQ(arch_warnings({"arm64"}),
            std::vector<std::string>{"jailkeeper: pod can only land on arm64 nodes, which the "
                                     "launcher image lacks (launcher.architectures)"});
  EXPECT_EQ(arch_warnings({"amd64", "arm64"}),
            std::vector<std::string>{"jailkeeper: pod may land on arm64 nodes, which the "
                                     "launcher image lacks (launcher.architectures)"});
  EXPECT_TRUE(arch_warnings({"amd64"}).empty());
  EXPECT_TRUE(arch_warnings({}).empty());  // not known: nothing to say
  // The default list is the released image index's: both.
  config.launcher = LauncherOptions{};
  EXPECT_TRUE(arch_warnings({"amd64", "arm64"}).empty());
  EXPECT_EQ(arch_warnings({"s390x"}).size(), 1U);
  for (const auto& w : arch_warnings({"ppc64le", "riscv64", "s390x"})) {
    EXPECT_LE(w.size(), 120U) << w;  // the API server's limit per warning, with room to spare
  }
}

TEST(Decide, MixedCanBeDenied) {
  PolicyConfig config;
  config.mixed = MixedStrategy::kDeny;
  const Decision d = decide(of({T::kAmazonLinux, T::kBottlerocket}), config, one(root()));
  EXPECT_TRUE(d.denied);
  EXPECT_NE(d.deny_message.find("amazon-linux, bottlerocket"), std::string::npos);
}

TEST(Decide, MixedWithoutCommonJailIsDenied) {
  PolicyConfig config;
  config.profiles.fargate.fallback.clear();
  config.profiles.amazon_linux.fallback.clear();  // nsjail only there, landjail only on Fargate
  const Decision d = decide(of({T::kAmazonLinux, T::kFargate}), config, one(root()));
  EXPECT_TRUE(d.denied);
  EXPECT_NE(d.deny_message.find("not allowed on fargate"), std::string::npos) << d.deny_message;
}

TEST(Decide, FargateOldKernelWarnsNamingKernelAndRequirement) {
  const Prediction p = of({T::kFargate}, KernelVersion{5, 10, 234});
  PolicyConfig config;
  Decision d = decide(p, config, one(root()));
  ASSERT_FALSE(d.denied);
  ASSERT_EQ(d.warnings.size(), 1U);
  EXPECT_NE(d.warnings[0].find("5.10.234"), std::string::npos);
  EXPECT_NE(d.warnings[0].find("6.7"), std::string::npos);
  EXPECT_NE(d.warnings[0].find("seccompjail"), std::string::npos);
  config.fargate_old_kernel = OldKernelStrategy::kDeny;
  d = decide(p, config, one(root()));
  EXPECT_TRUE(d.denied);
  EXPECT_NE(d.deny_message.find("5.10.234"), std::string::npos);
}

TEST(Decide, FargateKernelBelowSeccompAddfdIsRefusedAtAdmission) {
  const Decision d = decide(of({T::kFargate}, KernelVersion{5, 4, 0}), PolicyConfig{}, one(root()));
  ASSERT_TRUE(d.denied);
  EXPECT_NE(d.deny_message.find("no jail can start"), std::string::npos) << d.deny_message;
  EXPECT_NE(d.deny_message.find("5.9"), std::string::npos) << d.deny_message;
}

TEST(Decide, FargateNewKernelHasNoWarning) {
  EXPECT_TRUE(decide(of({T::kFargate}, KernelVersion{6, 7, 0}), PolicyConfig{}, one(root()))
                  .warnings.empty());
  // No Fargate node known: nothing to say, seccompjail stays the fallback.
  const Decision d = decide(of({T::kFargate}), PolicyConfig{}, one(root()));
  EXPECT_TRUE(d.warnings.empty());
  EXPECT_EQ(d.fallback, std::vector<JailType>{JailType::kSeccompjail});
}

TEST(Decide, AnUncertainJailBringsTheFallbacksGrantUnlessPodSecurityForbidsIt) {
  // Kernel unknown: landjail may not start; seccompjail under RuntimeDefault needs Unconfined.
  Decision d = decide(of({T::kFargate}), PolicyConfig{}, one(runtime_default()));
  EXPECT_EQ(d.jail, JailType::kLandjail);
  EXPECT_EQ(d.fallback, std::vector<JailType>{JailType::kSeccompjail});
  EXPECT_TRUE(d.grants[0].seccomp_unconfined);
  d = decide(of({T::kFargate}), PolicyConfig{}, in_namespace(runtime_default(), "baseline"));
  EXPECT_EQ(d.jail, JailType::kLandjail);
  EXPECT_TRUE(d.fallback.empty());
  EXPECT_FALSE(d.grants[0].seccomp_unconfined);
  ASSERT_EQ(d.warnings.size(), 1U);
  EXPECT_NE(d.warnings[0].find("may not start"), std::string::npos) << d.warnings[0];
  EXPECT_LE(d.warnings[0].size(), 120U);
}

}  // namespace
}  // namespace jk::policy
