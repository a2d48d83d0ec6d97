// Children and signals: fork + reap with the child's status, kill_and_reap, a blocked signal
// taken synchronously, the mask restored; a pid exists until its process is reaped.
#include "launcher/sys/signals.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>

#include <gtest/gtest.h>

#include "launcher/sys/process.h"

namespace jk::launcher::sys {
namespace {

constexpr int kExitCode = 42;

TEST(Signals, ForkedChildIsReapedWithItsStatus) {
  auto pid = fork_process();
  ASSERT_TRUE(pid.ok()) << pid.error().message;
  if (*pid == 0) ::_exit(kExitCode);
  const Reaped done = reap_child(*pid, true);
  ASSERT_EQ(done.pid, *pid);
  EXPECT_EQ(exit_code_from_wait_status(done.status), kExitCode);
  const Reaped none = reap_child(-1, false);
  EXPECT_EQ(none.pid, -1);
  EXPECT_EQ(none.error, ECHILD);
}

TEST(Signals, KillAndReapLeavesNoChild) {
  auto pid = fork_process();
  ASSERT_TRUE(pid.ok());
  if (*pid == 0) {
    ::pause();
    ::_exit(0);
  }
  EXPECT_EQ(reap_child(*pid, false).pid, 0);  // still running
  EXPECT_TRUE(process_exists(*pid));
  kill_and_reap(*pid);
  EXPECT_FALSE(process_exists(*pid));
  EXPECT_EQ(reap_child(*pid, false).error, ECHILD);
}

TEST(Signals, ABlockedSignalIsTakenSynchronouslyAndTheMaskRestored) {
  sigset_t usr1;
  sigemptyset(&usr1);
  sigaddset(&usr1, SIGUSR1);
  const sigset_t previous = block_signals(usr1);
  send_signal(::getpid(), SIGUSR1);
  auto taken = wait_for_signal(usr1);
  ASSERT_TRUE(taken.ok()) << taken.error().message;
  EXPECT_EQ(*taken, SIGUSR1);
  set_signal_mask(previous);
  sigset_t now;
  ::sigprocmask(SIG_SETMASK, nullptr, &now);
  EXPECT_EQ(sigismember(&now, SIGUSR1), sigismember(&previous, SIGUSR1));
}

TEST(Signals, ThisProcessExists) { EXPECT_TRUE(process_exists(::getpid())); }

}  // namespace
}  // namespace jk::launcher::sys
