#include "launcher/supervisor/signal_forwarder.h"

#include <sys/wait.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <string>

#include "common/log.h"

namespace jk::launcher::supervisor {
namespace {

constexpr std::array<int, 7> kForwarded = {SIGINT,  SIGTERM, SIGHUP,  SIGQUIT,
                                           SIGUSR1, SIGUSR2, SIGWINCH};

// Ok(status) once the agent has exited, nullopt while it runs.
Result<std::optional<int>> reap(pid_t agent) {
  int status = 0;
  const pid_t got = waitpid(agent, &status, WNOHANG);
  if (got < 0 && errno != EINTR) return make_error(std::string("waitpid: ") + std::strerror(errno));
  if (got == agent) return std::optional<int>(status);
  return std::optional<int>();
}

}  // namespace

bool is_forwarded_signal(int signal_number) {
  for (int s : kForwarded) {
    if (s == signal_number) return true;
  }
  return false;
}

SignalForwarder::SignalForwarder() {
  sigemptyset(&blocked_);
  for (int s : kForwarded) sigaddset(&blocked_, s);
  sigaddset(&blocked_, SIGCHLD);
  pthread_sigmask(SIG_BLOCK, &blocked_, &previous_);
}

SignalForwarder::~SignalForwarder() { pthread_sigmask(SIG_SETMASK, &previous_, nullptr); }

Result<int> SignalForwarder::wait(pid_t agent) {
  // SIGCHLD may have been discarded before the mask was set: look once before waiting.
  JK_TRY(auto done, reap(agent));
  while (!done.has_value()) {
    siginfo_t info{};
    const int s = sigwaitinfo(&blocked_, &info);
    if (s < 0 && errno != EINTR) {
      return make_error(std::string("sigwaitinfo: ") + std::strerror(errno));
    }
    if (s > 0 && is_forwarded_signal(s)) {
      log::debug("forwarding signal to the agent", {{"signal", s}, {"pid", agent}});
      kill(agent, s);
    }
    JK_TRY(done, reap(agent));
  }
  return *done;
}

}  // namespace jk::launcher::supervisor
