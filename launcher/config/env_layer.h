#pragma once
// Options from the environment. The environment is passed in as a map (main() copies environ)
// so tests are hermetic.
//
// Every option has a boundary name and a JAILKEEPER_ name; when both are set the JAILKEEPER_
// one wins (it is ours and more specific; the boundary name is read for compatibility):
//   JAILKEEPER_ALLOW / BOUNDARY_ALLOW, JAILKEEPER_CONFIG / BOUNDARY_CONFIG,
//   JAILKEEPER_JAIL_TYPE / BOUNDARY_JAIL_TYPE,
//   JAILKEEPER_NO_USER_NAMESPACE / BOUNDARY_NO_USER_NAMESPACE,
//   JAILKEEPER_PROXY_PORT / PROXY_PORT, JAILKEEPER_LOG_LEVEL / BOUNDARY_LOG_LEVEL,
//   JAILKEEPER_LOG_DIR / BOUNDARY_LOG_DIR, JAILKEEPER_USE_REAL_DNS / BOUNDARY_USE_REAL_DNS.
// A variable set to the empty string counts as unset.
//
// *_ALLOW holds one rule per line (blank lines skipped). boundary splits BOUNDARY_ALLOW as CSV,
// on commas, which cuts `method=GET,HEAD domain=x` into two broken rules; a rule never contains
// a newline in practice, so lines are the safe separator.
#include <map>
#include <string>

#include "common/result.h"
#include "launcher/config/option_layer.h"

namespace jk::launcher::config {

using Environment = std::map<std::string, std::string>;

Result<OptionLayer> layer_from_env(const Environment& env);

}  // namespace jk::launcher::config
