#include "launcher/jail/keeper.h"

#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <string>

#include "launcher/sys/child_error_pipe.h"
#include "launcher/sys/process.h"

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
  int status = 0;
  pid_t done = 0;
  while ((done = ::waitpid(-1, &status, WNOHANG)) > 0) {
    if (done == agent) finish(sys::exit_code_from_wait_status(status), leftovers);
  }
  if (done < 0 && errno == ECHILD) finish(sys::kSignalExitBase + SIGKILL, leftovers);
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
  if (::prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0) {
    return make_error(std::string("PR_SET_CHILD_SUBREAPER: ") + std::strerror(errno));
  }
  if (::prctl(PR_SET_PDEATHSIG, launcher_death_signal(), 0, 0, 0) != 0) {
    return make_error(std::string("PR_SET_PDEATHSIG: ") + std::strerror(errno));
  }
  if (::getppid() != launcher) ::_exit(sys::kSignalExitBase + SIGKILL);
  // A copy of the launcher's memory (the interception CA's key): the agent, same uid, must not
  // read it through /proc/<keeper>/mem, ptrace or process_vm_readv.
  if (::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) {
    return make_error(std::string("PR_SET_DUMPABLE: ") + std::strerror(errno));
  }
  return {};
}

void run_keeper(pid_t agent, Leftovers leftovers) {
  const sigset_t waited = keeper_signals();
  reap(agent, leftovers);  // the agent may have failed before SIGCHLD was waited for
  while (true) {
    siginfo_t info{};
    const int signal_number = ::sigwaitinfo(&waited, &info);
    if (signal_number == SIGCHLD) {
      reap(agent, leftovers);
    } else if (signal_number == launcher_death_signal()) {
      ::kill(agent, SIGKILL);
      finish(sys::kSignalExitBase + SIGKILL, leftovers);
    } else if (signal_number > 0) {
      ::kill(agent, signal_number);
    }
  }
}

void run_as_keeper(pid_t launcher, const KeeperChannel& channel,
                   const std::function<void(pid_t)>& agent_child) {
  const sigset_t blocked = keeper_signals();
  sigset_t launchers{};
  ::sigprocmask(SIG_BLOCK, &blocked, &launchers);
  if (const Status kept = become_keeper(launcher); !kept) {
    channel.fail("keeper: " + kept.error().message);
  }
  const pid_t keeper = ::getpid();
  const pid_t agent = ::fork();
  if (agent < 0) channel.fail(std::string("keeper: fork: ") + std::strerror(errno));
  if (agent == 0) {
    ::sigprocmask(SIG_SETMASK, &launchers, nullptr);  // the agent starts with the launcher's mask
    agent_child(keeper);
    ::_exit(sys::kChildSetupFailed);
  }
  channel.forget();
  run_keeper(agent, Leftovers::kKilled);
}

void kill_all_descendants() {
  for (;;) {
    auto descendants = sys::descendants_of(::getpid());
    for (const pid_t pid : descendants.ok() ? *descendants : std::vector<pid_t>{}) {
      ::kill(pid, SIGKILL);
    }
    // Orphans of the killed come back to us (child subreaper): wait until no child is left.
    int status = 0;
    const pid_t done = ::waitpid(-1, &status, 0);
    if (done < 0 && errno == ECHILD) return;
    if (done < 0 && errno != EINTR) return;
  }
}

}  // namespace jk::launcher::jail
