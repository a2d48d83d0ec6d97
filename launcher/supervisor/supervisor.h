#pragma once
// run_agent(): chooses the jail, prepares the CA and trust files, starts the jail child before
// any thread, then the proxy; forwards signals and returns the agent's exit code (128+signal
// when it was killed), or an error when the launcher failed (then the agent never ran, or was
// killed because it could not be served).
#include <string>
#include <vector>

#include "common/result.h"
#include "launcher/config/launch_options.h"
#include "launcher/jail/jail.h"

namespace jk::launcher::supervisor {

struct RunContext {
  std::vector<std::string> tmpdirs;  // where the instance directory may go (temp_parents)
};

Result<int> run_agent(const config::LaunchOptions& options, jail::AgentCommand cmd,
                      const RunContext& context);

}  // namespace jk::launcher::supervisor
