#include "webhook/cli/serve.h"

#include <cstdlib>
#include <iostream>

#include "common/log.h"
#include "webhook/cli/setup.h"
#include "webhook/handler/review_handler.h"
#include "webhook/kube/reflector_metrics.h"
#include "webhook/nodes/live_source.h"
#include "webhook/server/server.h"

namespace jk::cli {
namespace {

const std::vector<FlagSpec> kServeFlags = {
    {"config", "", true, "FILE", "admin config (YAML); default: the built-in default config"},
    {"listen", "", true, "HOST:PORT", "HTTPS listen address (default 0.0.0.0:8443)"},
    {"tls-cert", "", true, "FILE", "serving certificate (PEM), reloaded when it changes"},
    {"tls-key", "", true, "FILE", "private key (PEM), reloaded when it changes"},
    {"client-ca", "", true, "FILE", "require client certificates signed by this CA"},
    {"metrics-listen", "", true, "HOST:PORT", "plain-HTTP /metrics address (default 0.0.0.0:9090)"},
    {"nodes", "", true, "FILE", "offline node inventory: NodeList JSON (kubectl get nodes -o json)"},
    {"kubeconfig", "", true, "FILE", "watch nodes via this kubeconfig (default: in cluster, $KUBECONFIG, ~/.kube/config)"},
    {"namespace", "", true, "NS", "the webhook's own namespace, never patched (default $POD_NAMESPACE)"},
    {"log-level", "", true, "LEVEL", "debug|info|warn|error (overrides the config's logLevel)"},
};

constexpr std::string_view kDefaultCert = "/etc/jailkeeper/tls/tls.crt";
constexpr std::string_view kDefaultKey = "/etc/jailkeeper/tls/tls.key";

Status apply_flags(const Args& args, config::Config& c) {
  auto& s = c.server;
  s.listen = args.get_or("listen", s.listen);
  s.metrics_listen = args.get_or("metrics-listen", s.metrics_listen);
  // Flags win over the config file; the config's empty default means the in-cluster paths.
  s.tls_cert = args.get_or("tls-cert", s.tls_cert.empty() ? std::string(kDefaultCert) : s.tls_cert);
  s.tls_key = args.get_or("tls-key", s.tls_key.empty() ? std::string(kDefaultKey) : s.tls_key);
  s.client_ca = args.get_or("client-ca", s.client_ca);
  const char* env_ns = std::getenv("POD_NAMESPACE");
  c.policy.webhook_namespace = args.get_or("namespace", env_ns != nullptr ? env_ns : "");
  if (const auto level = args.get("log-level")) {
    if (!log::parse_level(*level, c.log_level)) {
      return make_error("--log-level: expected debug, info, warn or error, got \"" + *level + "\"");
    }
  }
  return {};
}

// --nodes FILE (offline), else the live view: list+watch of Nodes through --kubeconfig, the
// in-cluster service account, $KUBECONFIG or ~/.kube/config (in that order). /readyz stays 503
// until the first complete list.
Result<std::shared_ptr<const nodes::NodeSource>> serve_inventory(const Args& args,
                                                                 kube::ReflectorMetrics& metrics) {
  if (args.has("nodes")) return load_nodes(args.get("nodes"));
  auto cfg = kube::resolve_config(args.get("kubeconfig"), process_environment());
  if (!cfg.ok()) return cfg.error().wrap("node inventory (pass --nodes FILE to run offline)");
  nodes::LiveNodeOptions options;
  options.hooks = metrics.hooks("nodes");
  JK_TRY(auto live, nodes::LiveNodeSource::start(std::move(cfg).value(), std::move(options)));
  log::info("watching nodes", {{"source", live->describe()}});
  return std::shared_ptr<const nodes::NodeSource>(std::move(live));
}

}  // namespace

int run_serve(const std::vector<std::string>& argv) {
  auto args = parse_args(argv, kServeFlags);
  if (!args.ok()) {
    std::cerr << "jailkeeper-webhook serve: " << args.error().message << "\n";
    return 2;
  }
  if (args->has("help")) {
    std::cout << usage("jailkeeper-webhook serve [flags]", kServeFlags);
    return 0;
  }
  auto cfg = load_config(args->get("config"));
  Status flags = cfg.ok() ? apply_flags(*args, *cfg) : Status(cfg.error());
  if (!flags.ok()) {
    log::error("cannot start", {{"error", flags.error().message}});
    return 1;
  }
  log::set_level(cfg->log_level);
  metrics::Registry registry;
  kube::ReflectorMetrics kube_metrics(registry);  // outlives the node source declared below
  auto nodes = serve_inventory(*args, kube_metrics);
  if (!nodes.ok()) {
    log::error("cannot start", {{"error", nodes.error().message}});
    return 1;
  }
  const handler::Mutator mutator(std::make_shared<const policy::PolicyConfig>(cfg->policy), *nodes);
  const handler::ReviewHandler reviews(mutator, registry);
  const std::shared_ptr<const nodes::NodeSource> source = *nodes;
  server::Routes routes{[&reviews](const handler::HttpRequest& r) { return reviews.handle(r); },
                        [source] { return source->ready(); }};
  auto srv = server::Server::create(cfg->server, std::move(routes), registry);
  if (!srv.ok()) {
    log::error("cannot start", {{"error", srv.error().message}});
    return 1;
  }
  return (*srv)->run();
}

}  // namespace jk::cli
