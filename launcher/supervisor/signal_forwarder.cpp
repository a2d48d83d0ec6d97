#include "launcher/supervisor/signal_forwarder.h"

#include <array>
#include <string>

#include "common/log.h"
#include "launcher/sys/errno_error.h"
#include "launcher/sys/signals.h"

namespace jk::launcher::supervisor {
namespace {

constexpr std::array<int, 7> kForwarded = {SIGINT,  SIGTERM, SIGHUP,  SIGQUIT,
                                           SIGUSR1, SIGUSR2, SIGWINCH};

// Ok(status) once the agent has exited, nullopt while it runs.
Result<std::optional<int>> reap(pid_t agent) {
  const sys::Reaped got = sys::reap_child(agent, false);
  if (got.pid < 0) return sys::errno_error("waitpid", got.error);
  if (got.pid == agent) return std::optional<int>(got.status);
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
  previous_ = sys::block_signals(blocked_);
}

SignalForwarder::~SignalForwarder() { sys::set_signal_mask(previous_); }

Result<int> SignalForwarder::wait(pid_t agent) {
  // SIGCHLD may have been discarded before the mask was set: look once before waiting.
  JK_TRY(auto done, reap(agent));
  while (!done.has_value()) {
    JK_TRY(const int s, sys::wait_for_signal(blocked_));
    if (is_forwarded_signal(s)) {
      log::debug("forwarding signal to the agent", {{"signal", s}, {"pid", agent}});
      sys::send_signal(agent, s);
    }
    JK_TRY(done, reap(agent));
  }
  return *done;
}

}  // namespace jk::launcher::supervisor
