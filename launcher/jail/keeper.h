#pragma once
// The keeper: the agent's parent in every jail. It relays the launcher's signals to the agent,
// reaps orphans, and exits with the agent's status (128+signal when killed).
//
// nsjail: the jail's init (pid 1 of its pid namespace; a pid-namespace init ignores signals it
// has no handler for, so the agent cannot be pid 1 itself). When it exits the kernel kills every
// process left in the namespace.
// landjail, seccompjail (no pid namespace): a child of the launcher that makes itself a child
// subreaper (every orphaned descendant of the agent becomes its child), asks for a signal when
// the launcher dies, and on the agent's exit or the launcher's death kills every descendant left
// (also those that called setsid()) before it exits. So the agent's processes die with the
// launcher even when the launcher is SIGKILLed and is not pid 1 of the container.
#include <signal.h>
#include <sys/types.h>

#include <functional>
#include <string>

#include "common/result.h"

namespace jk::launcher::jail {

// The signals the keeper relays to the agent (and blocks for itself).
sigset_t relayed_signals();
// What the keeper blocks and waits for: relayed_signals() + SIGCHLD + the launcher-death signal.
sigset_t keeper_signals();

// landjail/seccompjail keeper, right after fork (signals of keeper_signals() blocked): child
// subreaper, the launcher-death signal, non-dumpable (it is a copy of the launcher's memory).
// Exits at once when `launcher` is already gone.
Status become_keeper(pid_t launcher);

enum class Leftovers { kLeftToTheKernel, kKilled };

// Runs the keeper's loop for `agent`; never returns. kKilled (no pid namespace): every
// descendant is killed when the agent exits or the launcher dies.
[[noreturn]] void run_keeper(pid_t agent, Leftovers leftovers);

// How the keeper talks to the launcher while the agent starts.
struct KeeperChannel {
  // Reports a failure before the agent exists to the launcher, then exits (never returns).
  std::function<void(const std::string&)> fail;
  // Closes the keeper's copies of what tells the launcher that the agent exec'd (the agent's
  // close-on-exec end), right after the agent is forked.
  std::function<void()> forget;
};

// The keeper's whole life in a child just forked from the launcher: blocks keeper_signals(),
// become_keeper(), forks the agent child, which runs `agent_child(keeper_pid)` (must exec or
// _exit), then `channel.forget()` and the keeper loop (kKilled).
[[noreturn]] void run_as_keeper(pid_t launcher, const KeeperChannel& channel,
                                const std::function<void(pid_t)>& agent_child);

// SIGKILLs every descendant of this process and reaps them, until none is left. For a child
// subreaper (orphans come back to it, so the loop ends).
void kill_all_descendants();

}  // namespace jk::launcher::jail
