// In-cluster configuration: the service account token and CA that the kubelet mounts, and the
// API server address from the environment (as client-go's rest.InClusterConfig).
#include <limits>

#include "common/strings.h"
#include "webhook/kube/client_config.h"
#include "webhook/kube/files.h"
#include "webhook/kube/pem.h"
#include "webhook/kube/server_url.h"

namespace jk::kube {
namespace {

constexpr std::string_view kHostVar = "KUBERNETES_SERVICE_HOST";
constexpr std::string_view kPortVar = "KUBERNETES_SERVICE_PORT";

std::string var(const Environment& env, std::string_view name) {
  const auto it = env.vars.find(std::string(name));
  return it == env.vars.end() ? std::string() : it->second;
}

Result<std::uint16_t> service_port(const std::string& text) {
  const auto port = parse_u64(text);
  if (!port || *port == 0 || *port > std::numeric_limits<std::uint16_t>::max()) {
    return make_error(std::string(kPortVar) + "=\"" + text + "\": not a port number");
  }
  return static_cast<std::uint16_t>(*port);
}

}  // namespace

Result<ClientConfig> in_cluster_config(const Environment& env, const std::string& sa_dir) {
  const std::string host = var(env, kHostVar);
  const std::string port_text = var(env, kPortVar);
  if (host.empty() || port_text.empty()) {
    return make_error("in-cluster: " + std::string(kHostVar) + " and " + std::string(kPortVar) +
                      " must both be set (not running in a pod?)");
  }
  auto port = service_port(port_text);
  if (!port) return port.error().wrap("in-cluster");
  ClientConfig out;
  out.host = host;
  out.port = *port;
  out.server = make_server_url(host, *port);
  out.tls_server_name = host;
  out.token_file = sa_dir + "/token";
  auto token = read_token_file(out.token_file);
  if (!token) return token.error().wrap("in-cluster: service account token");
  auto ca = read_whole_file(sa_dir + "/ca.crt");
  if (!ca) return ca.error().wrap("in-cluster: service account CA");
  auto valid = validate_ca_bundle(*ca);
  if (!valid) return valid.error().wrap("in-cluster: " + sa_dir + "/ca.crt");
  out.ca_pem = std::move(ca).value();
  out.source = "in-cluster";
  return out;
}

}  // namespace jk::kube
