#include "launcher/sys/probes.h"

#include <gtest/gtest.h>

namespace jk::launcher::sys {
namespace {

TEST(SeccompMode, IsReadFromTheStatusText) {
  struct Case {
    const char* text;
    bool ok;
    SeccompMode mode;
  };
  const Case cases[] = {
      {"Name:\tx\nSeccomp:\t0\nSeccomp_filters:\t0\n", true, SeccompMode::kDisabled},
      {"Seccomp:\t2\nSeccomp_filters:\t3\n", true, SeccompMode::kFilter},
      {"Seccomp:\t1\n", true, SeccompMode::kStrict},
      {"Seccomp:\t7\n", false, SeccompMode::kDisabled},
      {"Seccomp_filters:\t1\n", false, SeccompMode::kDisabled},
      {"Name:\tx\n", false, SeccompMode::kDisabled},
  };
  for (const auto& c : cases) {
    auto mode = parse_seccomp_mode(c.text);
    ASSERT_EQ(mode.ok(), c.ok) << c.text;
    if (c.ok) {
      EXPECT_EQ(*mode, c.mode) << c.text;
    }
  }
}

TEST(SeccompMode, HasNames) {
  EXPECT_EQ(seccomp_mode_name(SeccompMode::kDisabled), "disabled");
  EXPECT_EQ(seccomp_mode_name(SeccompMode::kStrict), "strict");
  EXPECT_EQ(seccomp_mode_name(SeccompMode::kFilter), "filter");
}

TEST(UserNamespaces, ProbeGivesAReasonWhenItCannot) {
  const UserNamespaceProbe probe = probe_user_namespaces();
  EXPECT_EQ(probe.can_create, probe.reason.empty()) << probe.reason;
}

}  // namespace
}  // namespace jk::launcher::sys
