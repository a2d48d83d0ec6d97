#pragma once
// Options from the launch spec the webhook writes (JAILKEEPER_SPEC): allow rules, jail type,
// fallback list, user namespace and proxy port. proxyPort 0 means "launcher default" and sets
// nothing.
#include <string_view>

#include "launcher/config/option_layer.h"
#include "launchspec/launch_spec.h"

namespace jk::launcher::config {

// origin prefixes rule origins, e.g. "spec /jailkeeper/spec/launch-spec".
OptionLayer layer_from_spec(const launchspec::LaunchSpec& spec, std::string_view origin);

}  // namespace jk::launcher::config
