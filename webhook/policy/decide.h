#pragma once
// From a prediction, the admin config and the pod's jailed containers to the jail and the
// smallest grant per container that builds it on every candidate node. Pure.
//
// The jails are tried in the order the candidates' profiles list them (`jail`, then
// `fallback`); a jail is ruled out when a container's shape makes it impossible there
// (jail_needs.h), when it needs a capability the platform or the container refuses, or when
// the namespace's enforced Pod Security level forbids its grant (strategies.podSecurity:
// deny). The first one left is chosen; no jail left is a denial that says why each failed.
#include <optional>
#include <string>
#include <vector>

#include "webhook/policy/jail_needs.h"
#include "webhook/policy/pod_security.h"
#include "webhook/policy/pod_shape.h"
#include "webhook/policy/policy_config.h"
#include "webhook/policy/predict.h"

namespace jk::policy {

// What one jailed container gets, and why.
struct ContainerGrant {
  std::string container;
  std::vector<std::string> add;  // capabilities to add (sorted), Kubernetes names
  bool seccomp_unconfined = false;
  std::vector<std::string> why;       // one line per item: "SETFCAP: maps uid 0 into ..."
  std::vector<std::string> notes;     // what the jail does without a soft need, ...
  std::vector<std::string> warnings;  // for the user at admission (Decision::warnings too)
  bool operator==(const ContainerGrant&) const = default;
};

struct PodSecurityContext {
  std::string namespace_name;
  Labels labels;  // the namespace's labels (pod-security.kubernetes.io/*)
  PodSecurityStrategy strategy = PodSecurityStrategy::kDeny;
};

struct DecisionInput {
  std::vector<ContainerShape> containers;          // the jailed ones, in patch order
  std::optional<PodSecurityContext> pod_security;  // none: not checked (inject)
};

struct Decision {
  Prediction prediction;
  NodeOs node_os = NodeOs::kOther;  // reported in jailkeeper.io/status ("mixed" shown as first)
  std::string node_os_label;        // "amazon-linux", "bottlerocket", "mixed", "unknown", ...
  launchspec::JailType jail = launchspec::JailType::kNsjail;
  std::vector<launchspec::JailType> fallback;
  bool user_namespace = true;
  std::vector<ContainerGrant> grants;  // one per DecisionInput container, same order
  std::vector<std::string> warnings;
  bool denied = false;
  std::string deny_message;
};

Decision decide(Prediction prediction, const PolicyConfig& config, const DecisionInput& input);

// The environment the nodes of one target give a jail (user namespaces, kubelet seccomp
// default, added capabilities, kernel).
NodeEnv env_of(Target target, const TargetFacts& facts, const PolicyConfig& config);
// The environment one known node gives (audit: the node a pod runs on).
NodeEnv env_of(const Node& node, const PolicyConfig& config);

}  // namespace jk::policy
