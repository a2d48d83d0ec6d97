#include "launcher/jail/keeper.h"

#include <unistd.h>

#include <array>
#include <cerrno>
#include <string>

#include "launcher/sys/child_error_pipe.h"
#include "launcher/sys/process.h"
#include "launcher/sys/signals.h"

namespace jk::launcher::jail {
namespace {

constexpr std::array kRelayed = {SIGINT,  SIGTERM,  SIGHUP,  SIGQUIT, SIGUSR1,
                                 SIGUSR2, SIGWINCH, SIGCONT, SIGALRM};

// Not relayed, not sent by anyone else: the keeper's PR_SET_PDEATHSIG.
int launcher_death_signal() { return SIGRTMIN + 2; }

[[noreturn]] void finish(int code, Leftovers leftovers) {
  if (leftovers == Leftovers::kKilled) kill_all_descendants();
  ::_exit(code);
}

// Reaps every exited child; exits when the agent is among them.
void reap(pid_t agent, Leftovers leftovers) {
  sys::Reaped done;
  while ((done = sys::reap_child(-1, false)).pid > 0) {
    if (done.pid == agent) finish(sys::exit_code_from_wait_status(done.status), leftovers);
  }
  if (done.pid < 0 && done.error == ECHILD) finish(sys::kSignalExitBase + SIGKILL, leftovers);
}

}  // namespace

sigset_t relayed_signals() {
  sigset_t set;
  ::sigemptyset(&set);
  for (const int signal_number : kRelayed) ::sigaddset(&set, signal_number);
  return set;
}

sigset_t keeper_signals() {
  sigset_t set = relayed_signals();
  ::sigaddset(&set, SIGCHLD);
  ::sigaddset(&set, launcher_death_signal());
  return set;
}

Status become_keeper(pid_t launcher) {
  JK_TRY_STATUS(sys::become_child_subreaper());
  JK_TRY_STATUS(sys::set_parent_death_signal(launcher_death_signal()));
  if (::getppid() != launcher) ::_exit(sys::kSignalExitBase + SIGKILL);
  // A copy of the launcher's memory (the interception CA's key): the agent, same uid, must not
  // read it through /proc/<keeper>/mem, ptrace or process_vm_readv.
  return sys::set_dumpable(false);
}

void run_keeper(pid_t agent, Leftovers leftovers) {
  const sigset_t waited = keeper_signals();
  reap(agent, leftovers);  // the agent may have failed before SIGCHLD was waited for
  while (true) {
    const auto taken = sys::wait_for_signal(waited);
    if (!taken.ok()) continue;
    const int signal_number = *taken;
    if (signal_number == SIGCHLD) {
      reap(agent, leftovers);
    } else if (signal_number == launcher_death_signal()) {
      sys::send_signal(agent, SIGKILL);
      finish(sys::kSignalExitBase + SIGKILL, leftovers);
    } else {
      sys::send_signal(agent, signal_number);
    }
  }
}

void run_as_keeper(pid_t launcher, const KeeperChannel& channel,
                   const std::function<void(pid_t)>& agent_child) {
  const sigset_t blocked = keeper_signals();
  const sigset_t launchers = sys::block_signals(blocked);
  if (const Status kept = become_keeper(launcher); !kept) {
    channel.fail("keeper: " + kept.error().message);
  }
  const pid_t keeper = ::getpid();
  const auto agent = sys::fork_process();
  if (!agent.ok()) channel.fail("keeper: " + agent.error().message);
  if (*agent == 0) {
    sys::set_signal_mask(launchers);  // the agent starts with the launcher's mask
    agent_child(keeper);
    ::_exit(sys::kChildSetupFailed);
  }
  channel.forget();
  run_keeper(*agent, Leftovers::kKilled);
}

void kill_all_descendants() {
  for (;;) {
    auto descendants = sys::descendants_of(::getpid());
    for (const pid_t pid : descendants.ok() ? *descendants : std::vector<pid_t>{}) {
      sys::send_signal(pid, SIGKILL);
    }
    // Orphans of the killed come back to us (child subreaper): wait until no child is left.
    if (sys::reap_child(-1, true).pid < 0) return;  // ECHILD, or waiting is impossible
  }
}

}  // namespace jk::launcher::jail
