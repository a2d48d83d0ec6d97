#pragma once
// The admin configuration: one validated, immutable value. Each component gets its own part
// (server::ServerOptions to the server, PolicyConfig to the decision). Defaults are the
// documented defaults (README "Configuration"; the server's in server/server_options.h);
// load_config() fills and validates them from YAML.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/log.h"
#include "common/result.h"
#include "launchspec/launch_spec.h"
#include "webhook/policy/policy_config.h"
#include "webhook/server/server_options.h"

namespace jk::config {

struct Config {
  log::Level log_level = log::Level::kInfo;
  server::ServerOptions server;
  policy::PolicyConfig policy;
  bool operator==(const Config&) const = default;
};

// Parses and validates YAML. Errors name the field path, e.g.
// `profiles.bottlerocket.capabilities[1]: unknown capability "NET_ADMN"`.
Result<Config> parse_config(std::string_view yaml);
Result<Config> load_config_file(const std::string& path);
// The built-in default config as YAML (what `serve` uses without --config), documented.
std::string_view default_config_yaml();

}  // namespace jk::config
