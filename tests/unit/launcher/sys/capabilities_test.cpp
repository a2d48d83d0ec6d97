#include "launcher/sys/capabilities.h"

#include <linux/capability.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>

#include <gtest/gtest.h>

#include "launcher/sys/lockdown.h"
#include "tests/unit/launcher/sys/child.h"

namespace jk::launcher::sys {
namespace {

constexpr const char* kStatus =
    "Name:\tcat\nCapInh:\t0000000000000000\nCapPrm:\t00000000a80425fb\n"
    "CapEff:\t00000000a80425fb\nCapBnd:\t000001ffffffffff\nCapAmb:\t0000000000001000\n"
    "NoNewPrivs:\t0\n";

TEST(CapabilitySets, ParsesTheFiveSetsOfAStatusText) {
  auto sets = parse_capability_sets(kStatus);
  ASSERT_TRUE(sets.ok()) << sets.error().message;
  EXPECT_EQ(sets->inheritable, 0U);
  EXPECT_EQ(sets->permitted, 0xa80425fbU);
  EXPECT_EQ(sets->effective, 0xa80425fbU);
  EXPECT_EQ(sets->bounding, 0x1ffffffffffU);
  EXPECT_EQ(sets->ambient, 0x1000U);
}

TEST(CapabilitySets, RejectsMissingOrMalformedLines) {
  const char* const cases[] = {
      "CapInh:\t0\nCapPrm:\t0\nCapEff:\t0\nCapBnd:\t0\n",               // no CapAmb
      "CapInh:\t0\nCapPrm:\tzz\nCapEff:\t0\nCapBnd:\t0\nCapAmb:\t0\n",  // not hex
      "CapInh:\nCapPrm:\t0\nCapEff:\t0\nCapBnd:\t0\nCapAmb:\t0\n",      // empty value
      ""};
  for (const char* text : cases) EXPECT_FALSE(parse_capability_sets(text).ok()) << text;
}

TEST(CapabilityNames, NameKnownNumbersAndNumberUnknownOnes) {
  struct Case {
    unsigned number;
    const char* name;
  };
  const Case cases[] = {{0, "cap_chown"}, {12, "cap_net_admin"},          {21, "cap_sys_admin"},
                        {39, "cap_bpf"},  {40, "cap_checkpoint_restore"}, {41, "cap_41"},
                        {63, "cap_63"}};
  for (const auto& c : cases) EXPECT_EQ(capability_name(c.number), c.name);
}

TEST(CapabilityNames, ListTheBitsOfAMaskLowestFirst) {
  EXPECT_EQ(capability_names(0), std::vector<std::string>{});
  EXPECT_EQ(capability_names((1ULL << 12) | (1ULL << 21) | 1ULL),
            (std::vector<std::string>{"cap_chown", "cap_net_admin", "cap_sys_admin"}));
}

TEST(LastCapability, IsWhatTheKernelReports) {
  auto last = last_capability();
  ASSERT_TRUE(last.ok()) << last.error().message;
  EXPECT_GE(*last, 40U);  // CAP_CHECKPOINT_RESTORE exists since Linux 5.9
}

TEST(Lockdown, LeavesEveryCapabilitySetEmptyAndSetsNoNewPrivs) {
  const int code = testing::run_in_child([] {
    if (!lockdown(LockdownOptions{}).ok()) return 10;
    auto sets = read_own_capabilities();
    if (!sets.ok()) return 11;
    const auto all =
        sets->inheritable | sets->permitted | sets->effective | sets->bounding | sets->ambient;
    return all == 0 ? 0 : 12;
  });
  EXPECT_EQ(code, 0);
}

// A container with `capabilities.drop: [ALL]` plus one added capability, or any non-root one,
// has no CAP_SETPCAP: lockdown must still succeed, and the root agent must not get the bounding
// set back through execve (no_new_privs). Checked on what an exec'd program sees.
TEST(Lockdown, WithoutSetpcapKeepsTheBoundingSetButExecGainsNothing) {
  int out[2];
  ASSERT_EQ(pipe(out), 0);
  const pid_t pid = fork();
  if (pid == 0) {
    close(out[0]);
    __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct data[2] = {};
    data[0].effective = data[0].permitted = 1U << CAP_NET_ADMIN;  // everything but NET_ADMIN gone
    if (syscall(SYS_capset, &header, data) != 0) _exit(10);
    if (has_effective_capability(CAP_SETPCAP)) _exit(11);
    if (!lockdown(LockdownOptions{}).ok()) _exit(12);
    dup2(out[1], STDOUT_FILENO);
    execl("/bin/cat", "cat", "/proc/self/status", static_cast<char*>(nullptr));
    _exit(13);
  }
  close(out[1]);
  std::string text;
  char buffer[4096];
  for (ssize_t n; (n = read(out[0], buffer, sizeof(buffer))) > 0;) {
    text.append(buffer, static_cast<std::size_t>(n));
  }
  close(out[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  auto sets = parse_capability_sets(text);
  ASSERT_TRUE(sets.ok()) << text;
  EXPECT_EQ(sets->permitted | sets->effective | sets->inheritable | sets->ambient, 0U) << text;
  EXPECT_NE(sets->bounding, 0U) << "the bounding set could not be emptied without CAP_SETPCAP";
  EXPECT_NE(text.find("NoNewPrivs:\t1"), std::string::npos) << text;
}

TEST(UnblockAllSignals, EmptiesTheMask) {
  const int code = testing::run_in_child([] {
    sigset_t term;
    sigemptyset(&term);
    sigaddset(&term, SIGTERM);
    sigprocmask(SIG_BLOCK, &term, nullptr);
    if (!unblock_all_signals().ok()) return 10;
    sigset_t now;
    sigprocmask(SIG_SETMASK, nullptr, &now);
    return sigismember(&now, SIGTERM) == 0 ? 0 : 11;
  });
  EXPECT_EQ(code, 0);
}

}  // namespace
}  // namespace jk::launcher::sys
