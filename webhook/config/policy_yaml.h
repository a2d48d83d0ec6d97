#pragma once
// `strategies:`, `policies:` and `launcher:` (private to webhook/config).
#include <yaml-cpp/yaml.h>

#include <string>

#include "common/result.h"
#include "webhook/policy/policy_config.h"

namespace jk::config {

Status read_strategies(const YAML::Node& node, const std::string& path, policy::PolicyConfig& out);
// Named allowlists; every rule is checked with launchspec::parse_rule. "default" always exists.
Status read_policies(const YAML::Node& node, const std::string& path, policy::PolicyConfig& out);
Status read_launcher(const YAML::Node& node, const std::string& path, policy::LauncherOptions& out);

}  // namespace jk::config
