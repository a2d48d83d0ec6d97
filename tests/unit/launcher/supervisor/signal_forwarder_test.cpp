#include "launcher/supervisor/signal_forwarder.h"

#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <array>

#include "launcher/sys/process.h"

namespace jk::launcher::supervisor {
namespace {

constexpr int kHandled = 42;

extern "C" void exit_handled(int /*signal*/) { _exit(kHandled); }

// A child that exits with kHandled when `signal_number` arrives; returns once its handler is set.
pid_t start_catcher(int signal_number) {
  std::array<int, 2> ready{};
  if (pipe(ready.data()) != 0) return -1;
  const pid_t pid = fork();
  if (pid == 0) {
    signal(signal_number, exit_handled);
    sigset_t all;
    sigemptyset(&all);
    sigprocmask(SIG_SETMASK, &all, nullptr);
    [[maybe_unused]] const ssize_t n = write(ready[1], "x", 1);
    while (true) pause();
  }
  close(ready[1]);
  char byte = 0;
  [[maybe_unused]] const ssize_t n = read(ready[0], &byte, 1);
  close(ready[0]);
  return pid;
}

TEST(SignalForwarder, ForwardsEachTerminalAndJobSignalToTheAgent) {
  for (int s : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH}) {
    const pid_t agent = start_catcher(s);
    ASSERT_GT(agent, 0);
    SignalForwarder forwarder;
    raise(s);  // blocked now: only wait() can receive it
    auto status = forwarder.wait(agent);
    ASSERT_TRUE(status.ok()) << status.error().message;
    EXPECT_EQ(sys::exit_code_from_wait_status(*status), kHandled) << strsignal(s);
  }
}

TEST(SignalForwarder, ReturnsTheStatusOfAnAgentThatExitedBeforeItWaited) {
  const pid_t agent = fork();
  if (agent == 0) _exit(3);
  siginfo_t info{};
  waitid(P_PID, static_cast<id_t>(agent), &info, WEXITED | WNOWAIT);  // exited, not yet reaped
  SignalForwarder forwarder;
  auto status = forwarder.wait(agent);
  ASSERT_TRUE(status.ok()) << status.error().message;
  EXPECT_EQ(sys::exit_code_from_wait_status(*status), 3);
}

TEST(SignalForwarder, ReportsAKilledAgentAsOneHundredTwentyEightPlusTheSignal) {
  const pid_t agent = start_catcher(SIGUSR1);
  SignalForwarder forwarder;
  kill(agent, SIGKILL);
  auto status = forwarder.wait(agent);
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(sys::exit_code_from_wait_status(*status), 137);
}

TEST(IsForwardedSignal, CoversTerminalAndJobSignalsOnly) {
  EXPECT_TRUE(is_forwarded_signal(SIGTERM));
  EXPECT_TRUE(is_forwarded_signal(SIGWINCH));
  EXPECT_FALSE(is_forwarded_signal(SIGCHLD));
  EXPECT_FALSE(is_forwarded_signal(SIGKILL));
  EXPECT_FALSE(is_forwarded_signal(SIGPIPE));
}

}  // namespace
}  // namespace jk::launcher::supervisor
