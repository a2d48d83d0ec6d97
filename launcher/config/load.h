#pragma once
// Builds LaunchOptions from every source: the parsed flags, the environment (passed in), the
// YAML file named by --config / JAILKEEPER_CONFIG / BOUNDARY_CONFIG, and the launch spec named by
// JAILKEEPER_SPEC. When JAILKEEPER_SPEC is set, a missing or invalid spec file is an error (fail
// closed: the admin policy must not silently vanish). There is no implicit default config path.
#include "common/result.h"
#include "launcher/config/env_layer.h"
#include "launcher/config/launch_options.h"
#include "launcher/config/option_layer.h"

namespace jk::launcher::config {

Result<LaunchOptions> load_options(const OptionLayer& flags, const Environment& env);

}  // namespace jk::launcher::config
