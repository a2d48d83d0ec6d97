#pragma once
// Forwards the launcher's terminal and job signals to the agent and waits for it. Construct it
// in the main thread BEFORE forking the jail child and before starting any other thread: it
// blocks the signals so that none is lost while the agent starts, every thread created later
// inherits the mask, and only wait() receives them (sigwaitinfo). The jail child must unblock
// them before exec (sys::unblock_all_signals()).
#include <signal.h>
#include <sys/types.h>

#include "common/result.h"

namespace jk::launcher::supervisor {

// SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH: sent on to the agent.
bool is_forwarded_signal(int signal_number);

class SignalForwarder {
 public:
  SignalForwarder();   // blocks the forwarded signals and SIGCHLD
  ~SignalForwarder();  // restores the previous mask
  SignalForwarder(const SignalForwarder&) = delete;
  SignalForwarder& operator=(const SignalForwarder&) = delete;

  // Forwards signals to `agent` until it exits; returns its wait status.
  Result<int> wait(pid_t agent);

 private:
  sigset_t blocked_{};
  sigset_t previous_{};
};

}  // namespace jk::launcher::supervisor
