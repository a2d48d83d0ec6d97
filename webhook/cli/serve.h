#pragma once
#include <string>
#include <vector>

#include "webhook/cli/args.h"

namespace jk::cli {

// `jailkeeper-webhook serve`: exit 0 after a clean shutdown, 1 on a broken setup, 2 on bad flags.
int run_serve(const std::vector<std::string>& argv);

}  // namespace jk::cli
