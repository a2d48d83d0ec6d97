#include "webhook/cli/audit.h"

#include <chrono>
#include <cstdlib>
#include <iostream>

#include <nlohmann/json.hpp>

#include "common/json_util.h"
#include "common/log.h"
#include "common/strings.h"
#include "webhook/audit/cluster.h"
#include "webhook/audit/report.h"
#include "webhook/cli/args.h"
#include "webhook/cli/invocation.h"
#include "webhook/cli/progress.h"
#include "webhook/cli/setup.h"
#include "webhook/config/duration.h"
#include "webhook/inventory/node_list.h"
#include "webhook/kube/api_status.h"
#include "webhook/kube/http_client.h"
#include "webhook/kube/paged_list.h"

namespace jk::cli {
namespace {

using nlohmann::json;

constexpr int kExitError = 2;
constexpr std::uint64_t kDefaultChunkSize = 500;
constexpr std::uint64_t kDefaultTimeoutSeconds = 30;
constexpr unsigned kHttpUnauthorized = 401;
constexpr unsigned kHttpForbidden = 403;
constexpr int kMaxListAttempts = 3;

const std::vector<FlagSpec> kAuditFlags = {
    {"kubeconfig", "", true, "FILE",
     "kubeconfig (default: $KUBECONFIG, in cluster, ~/.kube/config)"},
    {"context", "", true, "NAME", "kubeconfig context (default: its current-context)"},
    {"namespace", "n", true, "NS", "audit this namespace only (opted in or not)"},
    {"all-namespaces", "A", false, "", "audit every namespace (default: the opted-in ones)"},
    {"output", "o", true, "FORMAT", "table (default) or json"},
    {"config", "", true, "FILE", "admin config, for its skipNamespaces (default: built-in)"},
    {"chunk-size", "", true, "N", "objects per list page (default 500)"},
    {"request-timeout", "", true, "DURATION",
     "timeout of each API request: seconds or 30s, 2m as kubectl (default 30s)"},
};

struct AuditOptions {
  std::optional<std::string> kubeconfig;
  std::string context;
  std::string namespace_name;  // "" with all_namespaces or the opted-in default
  bool all_namespaces = false;
  std::string output = "table";
  std::uint64_t chunk_size = kDefaultChunkSize;
  std::chrono::milliseconds timeout{std::chrono::seconds(kDefaultTimeoutSeconds)};
};

Result<std::uint64_t> positive(const Args& args, const std::string& flag, std::uint64_t fallback) {
  const auto v = args.get(flag);
  if (!v) return fallback;
  const auto n = parse_u64(*v);
  if (!n || *n == 0)
    return make_error("--" + flag + ": expected a positive integer, got \"" + *v + "\"");
  return *n;
}

// kubectl's --request-timeout: "30s", "2m"; a bare number is seconds.
Result<std::chrono::milliseconds> request_timeout(const Args& args) {
  const auto v = args.get("request-timeout");
  if (!v) return std::chrono::milliseconds(std::chrono::seconds(kDefaultTimeoutSeconds));
  if (const auto seconds = parse_u64(*v); seconds && *seconds > 0 && *seconds < 86400) {
    return std::chrono::milliseconds(std::chrono::seconds(*seconds));
  }
  const auto duration = config::parse_duration(*v);
  if (!duration || duration->count() == 0) {
    return make_error(
        "--request-timeout: expected seconds or a duration such as 30s or 2m, got \"" + *v + "\"");
  }
  return *duration;
}

Result<AuditOptions> audit_options(const Args& args) {
  AuditOptions o;
  o.kubeconfig = args.get("kubeconfig");
  o.context = args.get_or("context", "");
  o.namespace_name = args.get_or("namespace", "");
  o.all_namespaces = args.has("all-namespaces");
  if (o.all_namespaces && !o.namespace_name.empty())
    return make_error("-n and -A exclude each other");
  o.output = args.get_or("output", "table");
  if (o.output != "table" && o.output != "json") {
    return make_error("-o: expected table or json, got \"" + o.output + "\"");
  }
  JK_TRY(o.chunk_size, positive(args, "chunk-size", kDefaultChunkSize));
  JK_TRY(o.timeout, request_timeout(args));
  return o;
}

// One list call and the words messages need: "list pods in namespace agents".
struct ListRequest {
  std::string path;      // /api/v1/...
  std::string resource;  // pods, nodes, namespaces
  std::string scope;     // "" (cluster-wide) or a namespace
  std::string field_selector;
  [[nodiscard]] std::string what() const {
    if (!scope.empty()) return "list " + resource + " in namespace " + scope;
    return "list " + resource + (resource == "pods" ? " (all namespaces)" : "");
  }
};

class Lister {
 public:
  Lister(kube::HttpClient& client, std::uint64_t chunk_size, Progress& progress)
      : client_(client), chunk_(chunk_size), progress_(progress) {}

  // Every page; when a continue token expires (410 Gone) the list starts over, a few times.
  Result<std::vector<json>> list(const ListRequest& req) {
    const kube::ListQuery query{req.path, req.field_selector, chunk_, kMaxListAttempts};
    const kube::ListObserver observer{
        [&](std::size_t items) { progress_.page(req.resource, items); }, {}};
    auto listed = kube::list_all(client_, query, observer);
    if (!listed.ok()) {
      const auto& cfg = client_.config();
      return make_error("cannot reach the API server " + cfg.server + " (" + cfg.source +
                        "): " + listed.error().message);
    }
    switch (listed->outcome) {
      case kube::ListResult::Outcome::kComplete:
        return std::move(listed->items);
      case kube::ListResult::Outcome::kExpired:
        return make_error(req.what() + ": the list expired (410 Gone) " +
                          std::to_string(kMaxListAttempts) +
                          " times while paging; run audit again");
      case kube::ListResult::Outcome::kRefused:
        return http_error(req, listed->status, listed->body);
      case kube::ListResult::Outcome::kNotAList:
        return make_error(req.what() + ": " + listed->detail);
    }
    return make_error(req.what() + ": unexpected list outcome");
  }

 private:
  Error http_error(const ListRequest& req, unsigned status, std::string_view body) const {
    const std::string failure = req.what() + ": " + kube::http_failure(status, body);
    const std::string& source = client_.config().source;
    if (status == kHttpUnauthorized) {
      return make_error(failure + "\nthe API server rejected the credentials of " + source +
                        " (expired or wrong token, or an unknown client certificate)");
    }
    if (status == kHttpForbidden) {
      const std::string where =
          req.scope.empty() ? "cluster-wide (ClusterRole)" : "in namespace " + req.scope;
      return make_error(failure + "\nRBAC: the identity of " + source +
                        " needs verb \"list\" on \"" + req.resource + "\" " + where +
                        "; check with: kubectl auth can-i list " + req.resource +
                        (req.scope.empty() ? " -A" : " -n " + req.scope));
    }
    return make_error(failure);
  }

  kube::HttpClient& client_;
  std::uint64_t chunk_;
  Progress& progress_;
};

Result<std::map<std::string, bool, std::less<>>> fetch_namespaces(Lister& lister,
                                                                  const AuditOptions& o) {
  ListRequest req{"/api/v1/namespaces", "namespaces", "", ""};
  if (!o.namespace_name.empty()) req.field_selector = "metadata.name=" + o.namespace_name;
  JK_TRY(const auto items, lister.list(req));
  std::map<std::string, bool, std::less<>> out;
  for (const auto& ns : items)
    out[kube::string_at(json_at(ns, "metadata"), "name")] = audit::namespace_opted_in(ns);
  if (!o.namespace_name.empty() && out.count(o.namespace_name) == 0) {
    return make_error("namespace \"" + o.namespace_name + "\" not found");
  }
  return out;
}

Result<std::map<std::string, policy::Node, std::less<>>> fetch_nodes(Lister& lister) {
  JK_TRY(const auto items, lister.list({"/api/v1/nodes", "nodes", "", ""}));
  std::map<std::string, policy::Node, std::less<>> out;
  for (const auto& item : items) {
    auto node = inventory::decode_node(item);
    if (!node.ok()) {  // its pods show node OS "?"; the other nodes still count
      log::warn("node skipped", {{"error", node.error().message}});
      continue;
    }
    std::string name = node->name;
    out.emplace(std::move(name), std::move(node).value());
  }
  return out;
}

std::vector<ListRequest> pod_requests(const AuditOptions& o, const audit::Cluster& cluster) {
  if (o.all_namespaces) return {{"/api/v1/pods", "pods", "", ""}};
  std::vector<std::string> names;
  if (!o.namespace_name.empty()) {
    names.push_back(o.namespace_name);
  } else {
    for (const auto& [name, opted_in] : cluster.namespaces) {
      if (opted_in) names.push_back(name);
    }
  }
  std::vector<ListRequest> out;
  for (const auto& ns : names)
    out.push_back({"/api/v1/namespaces/" + ns + "/pods", "pods", ns, ""});
  return out;
}

Result<audit::Cluster> fetch_cluster(kube::HttpClient& client, const AuditOptions& o,
                                     Progress& progress) {
  Lister lister(client, o.chunk_size, progress);
  audit::Cluster cluster;
  JK_TRY(cluster.namespaces, fetch_namespaces(lister, o));
  JK_TRY(cluster.nodes, fetch_nodes(lister));
  for (const auto& req : pod_requests(o, cluster)) {
    JK_TRY(const auto pods, lister.list(req));
    for (const auto& pod : pods) cluster.pods.push_back(audit::decode_pod(pod));
  }
  return cluster;
}

Result<std::unique_ptr<kube::HttpClient>> connect(const AuditOptions& o) {
  JK_TRY(auto cfg, kube::resolve_config(o.kubeconfig, process_environment(), o.context));
  kube::HttpClientOptions options;
  options.connect_timeout = o.timeout;
  options.request_timeout = o.timeout;
  return kube::HttpClient::create(std::move(cfg), options);
}

Result<audit::Cluster> load_cluster(const Args& args, const AuditOptions& o, Progress& progress) {
  JK_TRY(const auto cfg, load_config(args.get("config")));
  JK_TRY(auto client, connect(o));
  JK_TRY(auto cluster, fetch_cluster(*client, o, progress));
  cluster.skip_namespaces = cfg.policy.skip_namespaces;
  cluster.config = cfg.policy;
  const char* own = std::getenv("POD_NAMESPACE");
  cluster.webhook_namespace = own != nullptr ? own : "";
  return cluster;
}

}  // namespace

int run_audit(const std::vector<std::string>& argv) {
  auto args = parse_args(argv, kAuditFlags);
  if (args.ok() && args->has("help")) {
    std::cout
        << as_invoked(usage(
               "jailkeeper-webhook audit [--kubeconfig FILE] [--context NAME] [-n NAMESPACE | -A] "
               "[-o table|json]",
               kAuditFlags))
        << "\nVerdicts: OK, UNPATCHED, DRIFT, TAMPERED, SKIPPED.\n"
           "Exit status: 0 when every pod is OK or SKIPPED, 1 otherwise,\n"
           "2 on errors (flags, kubeconfig, API server, RBAC).\n";
    return 0;
  }
  auto opts = args.ok() ? audit_options(*args) : Result<AuditOptions>(args.error());
  if (!opts.ok()) {
    std::cerr << program_name() << " audit: " << opts.error().message << "\n";
    return kExitError;
  }
  log::set_level(log::Level::kWarn);  // the report is the output; logs only on trouble
  Progress progress = Progress::for_stderr();
  auto cluster = load_cluster(*args, *opts, progress);
  progress.clear();
  if (!cluster.ok()) {
    std::cerr << program_name() << " audit: " << cluster.error().message << "\n";
    return kExitError;
  }
  progress.judging(cluster->pods.size());
  const auto rows = audit::audit_cluster(*cluster);
  progress.clear();
  std::cout << (opts->output == "json" ? audit::format_json(rows) : audit::format_table(rows));
  return audit::exit_code(rows);
}

}  // namespace jk::cli
