#include "webhook/cli/serve.h"

#include <cstdlib>
#include <iostream>

#include "common/log.h"
#include "webhook/cli/setup.h"
#include "webhook/handler/review_handler.h"
#include "webhook/inventory/live_namespace_source.h"
#include "webhook/inventory/live_source.h"
#include "webhook/kube/reflector_metrics.h"
#include "webhook/podaudit/pod_audit.h"
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
    {"nodes", "", true, "FILE", "offline inventory: kubectl get nodes[,namespaces] -o json"},
    {"kubeconfig", "", true, "FILE",
     "watch nodes and namespaces via this kubeconfig (default: in cluster, $KUBECONFIG, "
     "~/.kube/config)"},
    {"namespace", "", true, "NS",
     "the webhook's own namespace, never patched (default $POD_NAMESPACE)"},
    {"log-level", "", true, "LEVEL", "debug|info|warn|error (overrides the config's logLevel)"},
    {"pod-audit", "", true, "on|off",
     "continuous audit of pods (watch, gauges, Events, GET /audit on the metrics listener; default "
     "on with a live inventory)"},
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

struct Inventory {
  std::shared_ptr<const inventory::NodeSource> nodes;
  std::shared_ptr<const inventory::NamespaceSource> namespaces;  // null: namespace checks off
  std::shared_ptr<podaudit::LivePodAudit> pods;                  // null: continuous audit off
  [[nodiscard]] bool ready() const {
    return nodes->ready() && (!namespaces || namespaces->ready());
  }
  // What one review reads: the live sources' current snapshots, fed to inject::mutate.
  [[nodiscard]] inject::Snapshot snapshot(
      std::shared_ptr<const policy::PolicyConfig> config) const {
    return {std::move(config), nodes->snapshot(), namespaces ? namespaces->snapshot() : nullptr};
  }
};

// jailkeeper_inventory_objects{resource}: objects in the current view, per watched resource.
std::function<void(std::size_t)> size_gauge(metrics::Registry& registry,
                                            const std::string& resource) {
  auto& family = registry.gauge("jailkeeper_inventory_objects",
                                "Objects in the webhook's current inventory view.", {"resource"});
  auto& gauge = family.with({resource});
  return [&gauge](std::size_t n) { gauge.set(static_cast<double>(n)); };
}

// --nodes FILE: nodes, and namespaces when the file lists any (else namespace checks are off).
Result<Inventory> offline_inventory(const std::string& path, metrics::Registry& registry) {
  JK_TRY(auto file, inventory::load_inventory_file(path));
  size_gauge(registry, "nodes")(file.nodes->snapshot()->size());
  log::info("node inventory loaded", {{"source", file.nodes->describe()}});
  if (file.namespaces) {
    size_gauge(registry, "namespaces")(file.namespaces->snapshot()->size());
    log::info("namespace inventory loaded", {{"source", file.namespaces->describe()}});
  } else {
    log::warn("no namespaces in --nodes file: namespace opt-in and Pod Security are not checked");
  }
  return Inventory{std::move(file.nodes), std::move(file.namespaces), nullptr};
}

// The live view: list+watch of Nodes and Namespaces through --kubeconfig, the in-cluster
// service account, $KUBECONFIG or ~/.kube/config (in that order). /readyz stays 503 until the
// first complete list of both.
// The continuous audit (webhook/podaudit): a pod watch on the same API configuration.
Result<std::shared_ptr<podaudit::LivePodAudit>> pod_audit(const Args& args, const config::Config& c,
                                                          const kube::ClientConfig& cfg,
                                                          const Inventory& inventory,
                                                          metrics::Registry& registry,
                                                          kube::ReflectorMetrics& metrics) {
  const std::string mode = args.get_or("pod-audit", "on");
  if (mode == "off") return std::shared_ptr<podaudit::LivePodAudit>();
  if (mode != "on") return make_error("--pod-audit: expected on or off, got \"" + mode + "\"");
  podaudit::LivePodAuditOptions options;
  options.hooks = metrics.hooks("pods");
  options.table.skip_namespaces = c.policy.skip_namespaces;
  options.table.webhook_namespace = c.policy.webhook_namespace;
  options.table.policy = c.policy;
  const char* host = std::getenv("HOSTNAME");
  options.instance = host != nullptr ? host : "jailkeeper-webhook";
  JK_TRY(auto live, podaudit::LivePodAudit::start(cfg, inventory.nodes, inventory.namespaces,
                                                  std::move(options), registry));
  return std::shared_ptr<podaudit::LivePodAudit>(std::move(live));
}

Result<Inventory> live_inventory(const Args& args, const config::Config& c,
                                 metrics::Registry& registry, kube::ReflectorMetrics& metrics) {
  auto cfg = kube::resolve_config(args.get("kubeconfig"), process_environment());
  if (!cfg.ok()) return cfg.error().wrap("inventory (pass --nodes FILE to run offline)");
  inventory::LiveNodeOptions node_options;
  node_options.hooks = metrics.hooks("nodes");
  node_options.on_published = size_gauge(registry, "nodes");
  JK_TRY(auto live_nodes, inventory::LiveNodeSource::start(*cfg, std::move(node_options)));
  inventory::LiveNamespaceOptions ns_options;
  ns_options.hooks = metrics.hooks("namespaces");
  ns_options.on_published = size_gauge(registry, "namespaces");
  JK_TRY(auto live_ns, inventory::LiveNamespaceSource::start(*cfg, std::move(ns_options)));
  log::info("watching nodes and namespaces",
            {{"nodes", live_nodes->describe()}, {"namespaces", live_ns->describe()}});
  Inventory inventory{std::move(live_nodes), std::move(live_ns), nullptr};
  JK_TRY(inventory.pods, pod_audit(args, c, *cfg, inventory, registry, metrics));
  return inventory;
}

Result<Inventory> serve_inventory(const Args& args, const config::Config& c,
                                  metrics::Registry& registry, kube::ReflectorMetrics& metrics) {
  if (args.has("nodes")) return offline_inventory(*args.get("nodes"), registry);
  return live_inventory(args, c, registry, metrics);
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
  kube::ReflectorMetrics kube_metrics(registry);  // outlives the inventory declared below
  auto inventory = serve_inventory(*args, *cfg, registry, kube_metrics);
  if (!inventory.ok()) {
    log::error("cannot start", {{"error", inventory.error().message}});
    return 1;
  }
  auto policy_config = std::make_shared<const policy::PolicyConfig>(cfg->policy);
  const handler::ReviewHandler reviews(
      [policy_config, view = *inventory] { return view.snapshot(policy_config); }, registry);
  server::Routes routes{[&reviews](const server::HttpRequest& r) { return reviews.handle(r); },
                        [view = *inventory] { return view.ready(); },
                        {}};
  if (auto pods = inventory->pods) {
    routes.audit = [pods](const server::HttpRequest& r) { return pods->handle(r); };
  }
  auto srv = server::Server::create(cfg->server, std::move(routes), registry);
  if (!srv.ok()) {
    log::error("cannot start", {{"error", srv.error().message}});
    return 1;
  }
  return (*srv)->run();
}

}  // namespace jk::cli
