#include "launcher/jail/nsjail_init.h"

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>

#include "launcher/sys/process.h"

namespace jk::launcher::jail {
namespace {

constexpr std::array kRelayed = {SIGINT,  SIGTERM,  SIGHUP,  SIGQUIT, SIGUSR1,
                                 SIGUSR2, SIGWINCH, SIGCONT, SIGALRM};

// Reaps every exited child; exits init when the agent is among them.
void reap(pid_t agent) {
  int status = 0;
  pid_t done = 0;
  while ((done = ::waitpid(-1, &status, WNOHANG)) > 0) {
    if (done == agent) ::_exit(sys::exit_code_from_wait_status(status));
  }
  if (done < 0 && errno == ECHILD) ::_exit(sys::kSignalExitBase + SIGKILL);  // agent vanished
}

}  // namespace

sigset_t relayed_signals() {
  sigset_t set;
  ::sigemptyset(&set);
  for (const int signal_number : kRelayed) ::sigaddset(&set, signal_number);
  return set;
}

void run_init(pid_t agent) {
  sigset_t waited = relayed_signals();
  ::sigaddset(&waited, SIGCHLD);
  reap(agent);  // the agent may have failed before SIGCHLD was waited for
  while (true) {
    siginfo_t info{};
    const int signal_number = ::sigwaitinfo(&waited, &info);
    if (signal_number == SIGCHLD) {
      reap(agent);
    } else if (signal_number > 0) {
      ::kill(agent, signal_number);
    }
  }
}

}  // namespace jk::launcher::jail
