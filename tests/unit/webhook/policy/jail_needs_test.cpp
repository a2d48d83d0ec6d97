// need_for: what each jail needs from a container on a kind of node, as a table.
#include "webhook/policy/jail_needs.h"

#include <gtest/gtest.h>

namespace jk::policy {
namespace {

using launchspec::JailType;

ContainerShape root() { return {}; }
ContainerShape user(std::int64_t uid) {
  ContainerShape s;
  s.run_as_user = uid;
  return s;
}
ContainerShape with_seccomp(ContainerShape s, SeccompKind k) {
  s.seccomp = k;
  return s;
}

std::vector<std::string> caps(const JailNeed& n, bool soft) {
  std::vector<std::string> out;
  for (const auto& c : n.capabilities) {
    if (c.soft == soft) out.push_back(c.capability);
  }
  return out;
}

NodeEnv env(bool userns = true, bool seccomp_default = false,
            std::optional<KernelVersion> kernel = std::nullopt) {
  NodeEnv e;
  e.user_namespaces = userns;
  e.seccomp_default = seccomp_default;
  e.newest_kernel = kernel;
  e.kernel_unknown = !kernel;
  return e;
}

TEST(NeedFor, NsjailWithUserNamespacesNeedsNoCapability) {
  const JailNeed n = need_for(JailType::kNsjail, true, user(1000), env());
  EXPECT_TRUE(n.impossible.empty());
  EXPECT_TRUE(n.capabilities.empty());
  EXPECT_FALSE(n.seccomp_gate);
}

TEST(NeedFor, RootMapsUidZeroWithSetfcapASoftNeed) {
  const JailNeed n = need_for(JailType::kNsjail, true, root(), env());
  EXPECT_EQ(caps(n, true), std::vector<std::string>{"SETFCAP"});
  EXPECT_TRUE(caps(n, false).empty());
}

TEST(NeedFor, RuntimeDefaultGatesTheNamespacesOnSysAdmin) {
  const JailNeed from_pod = need_for(JailType::kNsjail, true,
                                     with_seccomp(user(1000), SeccompKind::kRuntimeDefault), env());
  EXPECT_EQ(from_pod.seccomp_gate, "SYS_ADMIN");
  const JailNeed from_node = need_for(JailType::kNsjail, true, user(1000), env(true, true));
  EXPECT_EQ(from_node.seccomp_gate, "SYS_ADMIN");
  const JailNeed overridden = need_for(
      JailType::kNsjail, true, with_seccomp(user(1000), SeccompKind::kUnconfined), env(true, true));
  EXPECT_FALSE(overridden.seccomp_gate);
}

TEST(NeedFor, WithoutUserNamespacesRootNeedsSysAdminAndNetAdminAndNonRootCannot) {
  const JailNeed r = need_for(JailType::kNsjail, true, user(0), env(false));
  EXPECT_EQ(caps(r, false), (std::vector<std::string>{"SYS_ADMIN", "NET_ADMIN"}));
  EXPECT_TRUE(r.notes.empty());
  const JailNeed unknown_user = need_for(JailType::kNsjail, true, root(), env(false));
  EXPECT_EQ(unknown_user.warnings.size(), 1U) << "runAsUser unset: the image may be non-root";
  const JailNeed n = need_for(JailType::kNsjail, true, user(1000), env(false));
  EXPECT_NE(n.impossible.find("non-root"), std::string::npos) << n.impossible;
  EXPECT_FALSE(need_for(JailType::kNsjail, false, user(1000), env(true)).impossible.empty())
      << "the profile's userNamespace: false counts too";
}

TEST(NeedFor, LandjailNeedsOnlyTheKernel) {
  EXPECT_TRUE(need_for(JailType::kLandjail, true, root(), env(true, true, KernelVersion{6, 12, 0}))
                  .impossible.empty());
  const JailNeed old =
      need_for(JailType::kLandjail, true, root(), env(true, false, KernelVersion{6, 1, 0}));
  EXPECT_NE(old.impossible.find("6.7"), std::string::npos);
  const JailNeed unknown = need_for(JailType::kLandjail, true, root(), env());
  EXPECT_TRUE(unknown.impossible.empty());
  EXPECT_TRUE(unknown.kernel_uncertain);
  EXPECT_FALSE(
      need_for(JailType::kLandjail, true, with_seccomp(root(), SeccompKind::kRuntimeDefault), env())
          .seccomp_gate);
}

TEST(NeedFor, SeccompjailUnderRuntimeDefaultNeedsSysPtraceForPidfdGetfd) {
  const JailNeed n = need_for(JailType::kSeccompjail, true,
                              with_seccomp(user(1000), SeccompKind::kRuntimeDefault), env());
  EXPECT_EQ(n.seccomp_gate, "SYS_PTRACE");
  EXPECT_FALSE(
      need_for(JailType::kSeccompjail, true, root(), env(true, false, KernelVersion{5, 4, 0}))
          .impossible.empty());
}

TEST(NeedFor, ALocalhostProfileIsAWarningNotAJudgement) {
  const JailNeed n =
      need_for(JailType::kNsjail, true, with_seccomp(user(1000), SeccompKind::kLocalhost), env());
  EXPECT_FALSE(n.seccomp_gate);
  ASSERT_EQ(n.warnings.size(), 1U);
  EXPECT_NE(n.warnings[0].find("Localhost"), std::string::npos);
  EXPECT_LE(("jailkeeper: a-container-name: " + n.warnings[0]).size(), 120U);
}

TEST(Unmet, SaysWhatAnAdmittedPodLacksOnItsNode) {
  ContainerShape s = with_seccomp(user(1000), SeccompKind::kRuntimeDefault);
  const NodeEnv e = env();
  const JailNeed n = need_for(JailType::kNsjail, true, s, e);
  ASSERT_EQ(unmet(n, s, e).size(), 1U);
  s.add = {"SYS_ADMIN"};
  EXPECT_TRUE(unmet(n, s, e).empty());
  const JailNeed no_userns = need_for(JailType::kNsjail, true, user(0), env(false));
  EXPECT_EQ(unmet(no_userns, user(0), env(false)).size(), 2U);
}

}  // namespace
}  // namespace jk::policy
