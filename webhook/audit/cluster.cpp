#include "webhook/audit/cluster.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "common/json_util.h"

namespace jk::audit {
namespace {

PodContext context_for(const PodView& pod, const Cluster& cluster) {
  PodContext ctx;
  ctx.config = &cluster.config;
  if (const auto it = cluster.nodes.find(pod.node_name); it != cluster.nodes.end()) {
    ctx.node = &it->second;
  }
  const auto ns = cluster.namespaces.find(pod.namespace_name);
  ctx.namespace_opted_in = ns != cluster.namespaces.end() && ns->second;
  const auto& skip = cluster.skip_namespaces;
  if (!cluster.webhook_namespace.empty() && pod.namespace_name == cluster.webhook_namespace) {
    ctx.namespace_skip = "webhook-namespace";
  } else if (std::find(skip.begin(), skip.end(), pod.namespace_name) != skip.end()) {
    ctx.namespace_skip = "skipped-namespace";
  }
  return ctx;
}

}  // namespace

bool namespace_opted_in(const nlohmann::json& ns) {
  const auto& v = json_at(json_at(json_at(ns, "metadata"), "labels"), kInjectLabel);
  return v.is_string() && v.get_ref<const std::string&>() == kOptInValue;
}

std::vector<AuditRow> audit_cluster(const Cluster& cluster) {
  std::vector<AuditRow> rows;
  rows.reserve(cluster.pods.size());
  for (const auto& pod : cluster.pods) rows.push_back(evaluate(pod, context_for(pod, cluster)));
  std::sort(rows.begin(), rows.end(), [](const AuditRow& a, const AuditRow& b) {
    return std::tie(a.namespace_name, a.pod) < std::tie(b.namespace_name, b.pod);
  });
  return rows;
}

}  // namespace jk::audit
