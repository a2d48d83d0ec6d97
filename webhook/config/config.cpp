#include "webhook/config/config.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "common/strings.h"
#include "webhook/config/policy_yaml.h"
#include "webhook/config/pool_yaml.h"
#include "webhook/config/profile_yaml.h"
#include "webhook/config/yaml_fields.h"

namespace jk::config {

namespace {

Status read_listen(const YAML::Node& node, const std::string& path, std::string& out) {
  JK_TRY(std::string s, read_string(node, path));
  if (!parse_host_port(s)) return type_error(node, path, "host:port, e.g. 0.0.0.0:8443");
  out = std::move(s);
  return {};
}

FieldReader duration_field(std::chrono::milliseconds& out, bool allow_zero = false) {
  return [&out, allow_zero](const YAML::Node& v, const std::string& h) -> Status {
    JK_TRY(out, read_duration(v, h, allow_zero));
    return {};
  };
}

FieldReader string_field(std::string& out) {
  return [&out](const YAML::Node& v, const std::string& h) { return read_into(v, h, out); };
}

Status read_server(const YAML::Node& node, const std::string& path, server::ServerOptions& s) {
  const auto positive = [](auto& out) {
    return
        [&out](const YAML::Node& v, const std::string& h) { return read_into_uint(v, h, out, 1); };
  };
  return read_map(node, path,
                  {
                      {"listen", [&](const YAML::Node& v,
                                     const std::string& h) { return read_listen(v, h, s.listen); }},
                      {"metricsListen",
                       [&](const YAML::Node& v, const std::string& h) {
                         return read_listen(v, h, s.metrics_listen);
                       }},
                      {"tlsCert", string_field(s.tls_cert)},
                      {"tlsKey", string_field(s.tls_key)},
                      {"clientCa", string_field(s.client_ca)},
                      {"maxBodyBytes", positive(s.max_body_bytes)},
                      {"maxHeaderBytes", positive(s.max_header_bytes)},
                      {"maxRequestMemoryBytes", positive(s.max_request_memory_bytes)},
                      {"handshakeTimeout", duration_field(s.handshake_timeout)},
                      {"readTimeout", duration_field(s.read_timeout)},
                      {"writeTimeout", duration_field(s.write_timeout)},
                      {"idleTimeout", duration_field(s.idle_timeout)},
                      {"lingerTimeout", duration_field(s.linger_timeout, /*allow_zero=*/true)},
                      {"shutdownDelay", duration_field(s.shutdown_delay, /*allow_zero=*/true)},
                      {"shutdownGrace", duration_field(s.shutdown_grace, /*allow_zero=*/true)},
                      {"certReloadInterval", duration_field(s.cert_reload_interval)},
                      {"maxConnections", positive(s.max_connections)},
                      {"maxMetricsConnections", positive(s.max_metrics_connections)},
                      {"workerThreads",
                       [&](const YAML::Node& v, const std::string& h) {
                         return read_into_uint(v, h, s.worker_threads, 0);
                       }},
                  });
}

// Checks between fields of `server` (each field is valid on its own already). A shutdownDelay
// longer than shutdownGrace is not an error: the grace bounds the whole shutdown (0s: stop now).
Status validate_server(const server::ServerOptions& s) {
  // A request holds its body and then its decoding; one request may take 3/4 of the budget.
  if (s.max_body_bytes > s.max_request_memory_bytes / 4 * 3) {
    return make_error(
        "server.maxRequestMemoryBytes: " + std::to_string(s.max_request_memory_bytes) +
        " is too small for server.maxBodyBytes (" + std::to_string(s.max_body_bytes) +
        "): it must be at least 4/3 of it");
  }
  return {};
}

Status read_log_level(const YAML::Node& node, const std::string& path, log::Level& out) {
  JK_TRY(const std::string s, read_string(node, path));
  if (!log::parse_level(s, out)) return type_error(node, path, "one of debug, info, warn, error");
  return {};
}

// What the top level reads besides the Config itself.
struct Shorthands {
  std::optional<policy::BottlerocketGrant> grant;
  bool bottlerocket_lift_set = false;  // profiles.bottlerocket.runtimeDefaultGrant given
};

Status read_top(const YAML::Node& root, Config& c, Shorthands& sh) {
  policy::PolicyConfig& p = c.policy;
  return read_map(
      root, "",
      {
          {"logLevel", [&](const YAML::Node& v,
                           const std::string& h) { return read_log_level(v, h, c.log_level); }},
          {"server",
           [&](const YAML::Node& v, const std::string& h) { return read_server(v, h, c.server); }},
          {"bottlerocketGrant",
           [&](const YAML::Node& v, const std::string& h) -> Status {
             JK_TRY(sh.grant, read_grant(v, h));
             return {};
           }},
          {"profiles",
           [&](const YAML::Node& v, const std::string& h) {
             return read_profiles(v, h, p.profiles, sh.bottlerocket_lift_set);
           }},
          {"pools",
           [&](const YAML::Node& v, const std::string& h) { return read_pools(v, h, p.pools); }},
          {"strategies",
           [&](const YAML::Node& v, const std::string& h) { return read_strategies(v, h, p); }},
          {"policies",
           [&](const YAML::Node& v, const std::string& h) { return read_policies(v, h, p); }},
          {"launcher", [&](const YAML::Node& v,
                           const std::string& h) { return read_launcher(v, h, p.launcher); }},
          {"skipNamespaces",
           [&](const YAML::Node& v, const std::string& h) {
             return read_into(v, h, p.skip_namespaces);
           }},
      });
}

Result<Config> decode(const YAML::Node& root) {
  if (!root.IsNull() && !root.IsMap()) {
    return make_error("config: expected a map at the top level, " + describe(root) +
                      location(root));
  }
  Config c;
  Shorthands sh;
  JK_TRY_STATUS(read_top(root, c, sh));
  JK_TRY_STATUS(validate_server(c.server));
  if (sh.grant) {
    if (sh.bottlerocket_lift_set) {
      return make_error(
          "bottlerocketGrant: set either bottlerocketGrant or "
          "profiles.bottlerocket.runtimeDefaultGrant, not both");
    }
    apply_bottlerocket_grant(*sh.grant, c.policy.profiles.bottlerocket);
  }
  return c;
}

}  // namespace

Result<Config> parse_config(std::string_view yaml) {
  // yaml-cpp reports syntax errors (and a few others) by throwing; they stop here.
  try {
    const YAML::Node root = YAML::Load(std::string(yaml));
    return decode(root);
  } catch (const YAML::Exception& e) {
    return make_error("config: " + e.msg + " (line " + std::to_string(e.mark.line + 1) +
                      ", column " + std::to_string(e.mark.column + 1) + ")");
  } catch (const std::exception& e) {
    return make_error(std::string("config: ") + e.what());
  }
}

Result<Config> load_config_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error("config file " + path + ": " + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return make_error("config file " + path + ": read failed");
  auto config = parse_config(text.str());
  if (!config.ok()) return config.error().wrap(path);
  return config;
}

}  // namespace jk::config
