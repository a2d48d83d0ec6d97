#pragma once
// Options from boundary's YAML config file. Keys: allowlist (list of rule strings), jail_type,
// log_dir, log_level, no_user_namespace, proxy_port, use_real_dns; any other key is an error
// naming it. An empty file sets nothing. yaml-cpp is used (and its exceptions caught) only here.
#include <string>
#include <string_view>

#include "common/result.h"
#include "launcher/config/option_layer.h"

namespace jk::launcher::config {

// origin prefixes every error and rule origin, e.g. "config /etc/boundary.yaml".
Result<OptionLayer> layer_from_yaml(std::string_view text, std::string_view origin);

}  // namespace jk::launcher::config
