#pragma once
// `jailkeeper-webhook certs`: the built-in TLS bootstrap run by the chart's hook Jobs.
#include <string>
#include <vector>

#include "common/result.h"
#include "webhook/certs/options.h"
#include "webhook/cli/args.h"

namespace jk::cli {

// Flags to options; errors name the flag.
Result<certs::CertsOptions> certs_options(const Args& args);

// Exit 0 when done (or nothing was due), 1 when the API work failed (the message names the
// verb and resource), 2 on bad flags.
int run_certs(const std::vector<std::string>& argv);

}  // namespace jk::cli
