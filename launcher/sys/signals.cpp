#include "launcher/sys/signals.h"

#include <pthread.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>

#include "launcher/sys/errno_error.h"

namespace jk::launcher::sys {

sigset_t block_signals(const sigset_t& signals) {
  sigset_t previous{};
  ::pthread_sigmask(SIG_BLOCK, &signals, &previous);
  return previous;
}

void set_signal_mask(const sigset_t& mask) { ::pthread_sigmask(SIG_SETMASK, &mask, nullptr); }

Result<int> wait_for_signal(const sigset_t& signals) {
  siginfo_t info{};
  const int signal_number = retry_on_eintr([&] { return ::sigwaitinfo(&signals, &info); });
  if (signal_number < 0) return errno_error("sigwaitinfo");
  return signal_number;
}

void send_signal(pid_t pid, int signal_number) { ::kill(pid, signal_number); }

bool process_exists(pid_t pid) { return ::kill(pid, 0) == 0 || errno == EPERM; }

Result<pid_t> fork_process() {
  const pid_t pid = ::fork();
  if (pid < 0) return errno_error("fork");
  return pid;
}

void kill_and_reap(pid_t child) {
  ::kill(child, SIGKILL);
  int status = 0;
  retry_on_eintr([&] { return ::waitpid(child, &status, 0); });
}

Reaped reap_child(pid_t pid, bool block) {
  Reaped out;
  const int flags = block ? 0 : WNOHANG;
  out.pid = block ? retry_on_eintr([&] { return ::waitpid(pid, &out.status, flags); })
                  : ::waitpid(pid, &out.status, flags);
  if (out.pid < 0) out.error = errno;
  return out;
}

}  // namespace jk::launcher::sys
