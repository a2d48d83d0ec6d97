// capabilities_of / seccomp_in_force: containerd CRI's rules, as a table.
#include "webhook/policy/pod_shape.h"

#include <gtest/gtest.h>

namespace jk::policy {
namespace {

ContainerShape with(std::vector<std::string> add, std::vector<std::string> drop) {
  ContainerShape s;
  s.add = std::move(add);
  s.drop = std::move(drop);
  return s;
}

TEST(CapabilitiesOf, FollowCrisOrderAllFirstThenAddsThenDrops) {
  EXPECT_EQ(capabilities_of(with({}, {})), runtime_default_capabilities());
  EXPECT_EQ(capabilities_of(with({}, {"ALL"})), CapabilitySet{});
  EXPECT_EQ(capabilities_of(with({"NET_ADMIN"}, {"ALL"})), CapabilitySet{"NET_ADMIN"});
  EXPECT_EQ(capabilities_of(with({"NET_ADMIN"}, {"NET_ADMIN"})), runtime_default_capabilities())
      << "a drop beats an add";
  EXPECT_TRUE(capabilities_of(with({"ALL"}, {})).contains("SYS_ADMIN"));
  EXPECT_FALSE(capabilities_of(with({"ALL"}, {"SYS_ADMIN"})).contains("SYS_ADMIN"));
  EXPECT_FALSE(capabilities_of(with({}, {"SETFCAP"})).contains("SETFCAP"));
  ContainerShape privileged = with({}, {"ALL"});
  privileged.privileged = true;
  EXPECT_TRUE(capabilities_of(privileged).contains("SYS_ADMIN"));
}

// holds_capability answers what capabilities_of's set would, for every shape: each subset of
// a universe (ALL, a default capability, two added ones, one Linux does not know) as adds and
// as drops, privileged or not, asked about every name (and one in no list).
TEST(HoldsCapability, AgreesWithCapabilitiesOfForEveryShape) {
  const std::vector<std::string> universe = {"ALL", "CHOWN", "NET_ADMIN", "SYS_ADMIN", "NOT_A_CAP"};
  std::vector<std::string> asked = universe;
  asked.emplace_back("SETUID");
  asked.emplace_back("BPF");
  const auto subset = [&](unsigned bits) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < universe.size(); ++i) {
      if ((bits >> i) & 1U) out.push_back(universe[i]);
    }
    return out;
  };
  int checked = 0;
  for (unsigned add = 0; add < (1U << universe.size()); ++add) {
    for (unsigned drop = 0; drop < (1U << universe.size()); ++drop) {
      for (const bool privileged : {false, true}) {
        ContainerShape shape = with(subset(add), subset(drop));
        shape.privileged = privileged;
        const CapabilitySet set = capabilities_of(shape);
        for (const auto& cap : asked) {
          ASSERT_EQ(holds_capability(shape, cap), set.contains(cap))
              << cap << " add=" << add << " drop=" << drop << " privileged=" << privileged;
          ++checked;
        }
      }
    }
  }
  EXPECT_EQ(checked, 32 * 32 * 2 * 7);
}

TEST(CapabilitiesOf, TheDefaultSetIsContainerds) {
  EXPECT_EQ(runtime_default_capabilities().size(), 14U);
  for (const char* cap : {"CHOWN", "SETFCAP", "SETPCAP", "NET_RAW", "AUDIT_WRITE"}) {
    EXPECT_TRUE(runtime_default_capabilities().contains(cap)) << cap;
  }
  for (const char* cap : {"NET_ADMIN", "SYS_ADMIN", "SYS_PTRACE"}) {
    EXPECT_FALSE(runtime_default_capabilities().contains(cap)) << cap;
  }
}

TEST(NormalizeCapability, AcceptsTheSpellingsKubernetesAccepts) {
  EXPECT_EQ(normalize_capability("NET_ADMIN"), "NET_ADMIN");
  EXPECT_EQ(normalize_capability("CAP_NET_ADMIN"), "NET_ADMIN");
  EXPECT_EQ(normalize_capability("cap_net_admin"), "NET_ADMIN");
  EXPECT_EQ(normalize_capability("all"), "ALL");
}

TEST(SeccompInForce, OwnThenPodThenTheNodesDefault) {
  ContainerShape s;
  EXPECT_EQ(seccomp_in_force(s, false), SeccompKind::kUnconfined);
  EXPECT_EQ(seccomp_in_force(s, true), SeccompKind::kRuntimeDefault);
  s.seccomp = SeccompKind::kUnconfined;
  EXPECT_EQ(seccomp_in_force(s, true), SeccompKind::kUnconfined);
  s.seccomp = SeccompKind::kLocalhost;
  EXPECT_EQ(seccomp_in_force(s, false), SeccompKind::kLocalhost);
  s.privileged = true;
  EXPECT_EQ(seccomp_in_force(s, true), SeccompKind::kUnconfined);
}

TEST(RunsAs, AnUnknownUserMayBeEither) {
  ContainerShape s;
  EXPECT_TRUE(may_run_as_root(s));
  EXPECT_TRUE(may_run_as_non_root(s));
  s.run_as_non_root = true;
  EXPECT_FALSE(may_run_as_root(s));
  s.run_as_user = 0;
  EXPECT_TRUE(may_run_as_root(s));
  EXPECT_FALSE(may_run_as_non_root(s));
  s.run_as_user = 1000;
  EXPECT_FALSE(may_run_as_root(s));
}

}  // namespace
}  // namespace jk::policy
