#pragma once
// jailkeeper-launch's command line. Only main() calls this.
//   jailkeeper-launch [flags] -- CMD...          run CMD jailed (125 when no jail can be built)
//   jailkeeper-launch explain [flags] METHOD URL  decision for a request (exit 0/1/2)
//   jailkeeper-launch install DIR                 copy this binary to DIR/jailkeeper-launch
//   jailkeeper-launch doctor [-o json]            what this host allows; which jails can run
//   jailkeeper-launch version | --help
#include <ostream>
#include <string>
#include <vector>

#include "launcher/config/env_layer.h"

namespace jk::launcher::cli {

// The launcher failed before the command could start (never the command's own status when it
// ran; 125 as in env(1) and docker run).
inline constexpr int kExitLauncherFailure = 125;

int run(const std::vector<std::string>& args, const config::Environment& env, std::ostream& out,
        std::ostream& err);

}  // namespace jk::launcher::cli
