#pragma once
// `pools:` — named node pools and static pool->OS entries (private to webhook/config).
#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

#include "common/result.h"
#include "webhook/policy/policy_config.h"

namespace jk::config {

// Names must be unique; each pool needs a non-empty selector.
Status read_pools(const YAML::Node& node, const std::string& path, std::vector<policy::Pool>& out);

}  // namespace jk::config
