#pragma once
// A one-shot view of the cluster (pods, nodes, namespaces) and the audit of every pod in it.
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "webhook/audit/pod_view.h"
#include "webhook/audit/verdict.h"
#include "webhook/policy/node.h"
#include "webhook/policy/policy_config.h"

namespace jk::audit {

inline constexpr std::string_view kInjectLabel = "jailkeeper.io/inject";
inline constexpr std::string_view kOptInValue = "enabled";

struct Cluster {
  std::vector<PodView> pods;
  std::map<std::string, policy::Node, std::less<>> nodes;   // by name
  std::map<std::string, bool, std::less<>> namespaces;      // name -> opted in
  std::vector<std::string> skip_namespaces{"kube-system"};  // never patched by the webhook
  std::string webhook_namespace;                            // never patched either; may be ""
  policy::PolicyConfig config;  // profiles and pools: what each node gives a jail
};

// Namespace object -> opted in (label jailkeeper.io/inject=enabled).
bool namespace_opted_in(const nlohmann::json& ns);

// One row per pod, sorted by namespace then pod name.
std::vector<AuditRow> audit_cluster(const Cluster& cluster);

}  // namespace jk::audit
