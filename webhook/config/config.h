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
  // Bodies of requests in flight and their decoding (a JSON DOM: up to ~35x the text), all
  // connections together; at least 4/3 of max_body_bytes.
  std::uint64_t max_request_memory_bytes = 96 * 1024 * 1024;
  std::chrono::milliseconds handshake_timeout{5000};
  std::chrono::milliseconds read_timeout{10000};
  std::chrono::milliseconds write_timeout{10000};
  std::chrono::milliseconds idle_timeout{90000};
  std::chrono::milliseconds linger_timeout{2000};  // input read and dropped after our close
  // SIGTERM: for shutdown_delay keep accepting and answering (Connection: close, /readyz 503),
  // then stop accepting and close idle connections; requests in flight get until
  // shutdown_grace, counted from SIGTERM (which also cuts a longer delay short).
  std::chrono::milliseconds shutdown_delay{5000};
  std::chrono::milliseconds shutdown_grace{15000};
  std::chrono::milliseconds cert_reload_interval{1000};
  std::uint32_t max_connections = 2048;         // the webhook listener's
  std::uint32_t max_metrics_connections = 64;   // the metrics listener's own budget
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
