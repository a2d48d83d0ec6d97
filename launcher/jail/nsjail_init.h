#pragma once
// The jail's init (pid 1 of the jail's pid namespace). A pid-namespace init ignores signals it
// has no handler for, so the agent cannot be pid 1 itself: init forks it, relays the launcher's
// signals to it, reaps orphans, and exits with the agent's status (128+signal when killed).
#include <signal.h>
#include <sys/types.h>

namespace jk::launcher::jail {

// The signals init relays to the agent (and blocks for itself).
sigset_t relayed_signals();

// Runs init's loop for `agent`; never returns. Call with relayed_signals() + SIGCHLD blocked.
[[noreturn]] void run_init(pid_t agent);

}  // namespace jk::launcher::jail
