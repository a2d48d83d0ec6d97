#pragma once
// What every jail hands back to the supervisor. Each jail exposes
//   Result<JailChild> start_<jail>(const <Jail>Options&, const AgentCommand&);
//   Status <jail>_available(...);  // one-line reason naming the missing piece and the fix
// start_* forks/clones the jail child BEFORE the launcher starts any thread; the child builds
// its jail, sends descriptors to the parent when needed (SCM_RIGHTS), calls sys::lockdown(),
// sets PR_SET_PDEATHSIG(SIGKILL) and execs the agent.
#include <sys/types.h>

#include <string>
#include <vector>

#include "launcher/sys/unique_fd.h"

namespace jk::launcher::jail {

// The agent's command line and its complete environment ("NAME=value" entries); argv[0] is
// looked up in PATH (from env) like execvp.
struct AgentCommand {
  std::vector<std::string> argv;
  std::vector<std::string> env;
};

// The running jail child as the parent sees it. Descriptors a jail does not produce stay
// invalid.
struct JailChild {
  pid_t pid = -1;
  sys::UniqueFd pidfd;             // pidfd_open(pid) when the kernel has it
  sys::UniqueFd tcp_listener;      // nsjail: listening TCP socket inside the jail's netns
  sys::UniqueFd dns_socket;        // nsjail: UDP socket for the DNS stub inside the netns
  sys::UniqueFd seccomp_listener;  // seccompjail: the seccomp user-notification fd
};

}  // namespace jk::launcher::jail
