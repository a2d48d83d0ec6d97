#pragma once
// Signals and children for the two relays (the supervisor's SignalForwarder, the jail's keeper)
// and the jails' start-up: masks, synchronous waits, sending, forking and reaping.
#include <signal.h>
#include <sys/types.h>

#include "common/result.h"

namespace jk::launcher::sys {

// Adds `signals` to the calling thread's mask (pthread_sigmask: the process's mask while it has
// one thread); returns the mask before.
sigset_t block_signals(const sigset_t& signals);
// Replaces the calling thread's mask.
void set_signal_mask(const sigset_t& mask);
// sigwaitinfo(signals) retried on EINTR: the signal taken (it must be blocked).
Result<int> wait_for_signal(const sigset_t& signals);
// kill(pid, signal_number); a process that is gone already is no error worth reporting.
void send_signal(pid_t pid, int signal_number);
// kill(pid, 0) succeeds or says EPERM: a process with that pid exists.
bool process_exists(pid_t pid);

// fork(): 0 in the child, the child's pid in the parent. Error: "fork: <errno>".
Result<pid_t> fork_process();
// SIGKILL to a child that failed to start, then waits for it (its status is not wanted).
void kill_and_reap(pid_t child);

// One waitpid(pid, WNOHANG or blocking), blocking waits retried on EINTR. `pid` -1: any child.
struct Reaped {
  pid_t pid = 0;   // > 0: reaped; 0: none has exited yet (WNOHANG); -1: error
  int status = 0;  // the wait status when reaped
  int error = 0;   // errno when pid is -1 (ECHILD: no child left)
};
Reaped reap_child(pid_t pid, bool block);

}  // namespace jk::launcher::sys
