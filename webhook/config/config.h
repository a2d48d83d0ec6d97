#pragma once
// The admin configuration: one validated, immutable value. Each component gets its own part
// (ServerOptions to the server, PolicyConfig to the decision). Defaults here are the documented
// defaults (README "Configuration"); load_config() fills and validates them from YAML.
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/log.h"
#include "common/result.h"
#include "launchspec/launch_spec.h"
#include "webhook/policy/policy_config.h"

namespace jk::config {

struct ServerOptions {
  std::string listen = "0.0.0.0:8443";
  std::string metrics_listen = "0.0.0.0:9090";
  std::string tls_cert;
  std::string tls_key;
  std::string client_ca;  // empty: no client-certificate verification
  std::uint64_t max_body_bytes = 8 * 1024 * 1024;
  std::uint32_t max_header_bytes = 16 * 1024;
  std::chrono::milliseconds handshake_timeout{5000};
  std::chrono::milliseconds read_timeout{10000};
  std::chrono::milliseconds write_timeout{10000};
  std::chrono::milliseconds idle_timeout{90000};
  std::chrono::milliseconds shutdown_grace{15000};
  std::chrono::milliseconds cert_reload_interval{1000};
  std::uint32_t max_connections = 2048;
  std::uint32_t worker_threads = 0;  // 0: one per core
  bool operator==(const ServerOptions&) const = default;
};

struct Config {
  log::Level log_level = log::Level::kInfo;
  ServerOptions server;
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
