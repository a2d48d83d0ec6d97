#pragma once
// The nsjail child side, from clone() to exec: everything runs in the jail's init process.
#include <sys/types.h>

#include <string>

#include "launcher/jail/jail.h"
#include "launcher/jail/nsjail/nsjail.h"
#include "launcher/sys/child_error_pipe.h"

namespace jk::launcher::jail {

struct NsjailChildContext {
  const NsjailOptions* options = nullptr;
  const AgentCommand* command = nullptr;
  int handover_fd = -1;                      // the child's end of the socketpair
  sys::ChildErrorPipe* exec_pipe = nullptr;  // reports the agent's exec failure
};

// Never returns: exits with sys::kChildSetupFailed after reporting a setup error (handover
// before the sockets were sent, exec_pipe after), or runs init until the agent exits.
[[noreturn]] void run_nsjail_child(NsjailChildContext& context);

// What to do when the namespaces cannot be created (shared by start_nsjail and the probe).
std::string nsjail_namespace_hint(bool user_namespace);

}  // namespace jk::launcher::jail
