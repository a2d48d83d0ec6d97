#pragma once
// Predicts the node OS(es) a pod can land on, from its scheduling constraints and the node
// inventory (plus static pool entries for pools with no nodes yet). Pure.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "webhook/policy/node_index.h"
#include "webhook/policy/policy_config.h"
#include "webhook/policy/scheduling.h"

namespace jk::policy {

// One OS "variant" the decision distinguishes.
enum class Target { kAmazonLinux, kBottlerocket, kBottlerocketNoUserns, kFargate, kOther };
std::string_view target_name(Target target);

// What the candidate nodes of one target tell about it.
struct TargetFacts {
  std::optional<KernelVersion> newest_kernel;
  bool kernel_unknown = false;   // a candidate reports no kernel (static pools without one)
  bool seccomp_default = false;  // a candidate's kubelet applies RuntimeDefault by default
};

struct Prediction {
  std::vector<Target> targets;          // sorted, unique; empty = unknown (no candidate node)
  std::map<Target, TargetFacts> facts;  // per target in `targets`
  std::size_t candidates = 0;           // matching nodes (real + static pools)
  // Lowest kernel among candidates that report one.
  std::optional<KernelVersion> min_kernel;
  // Newest kernel among known Fargate nodes (and static Fargate pools): when it is below 6.7,
  // no Fargate node can give landjail its Landlock ABI 4.
  std::optional<KernelVersion> max_fargate_kernel;
  // The CPU architectures (kubernetes.io/arch values) the pod can land on: its candidates' that
  // report one, else those its nodeSelector or required node affinity pins it to. Sorted,
  // unique; empty: not known.
  std::vector<std::string> architectures;
  std::string basis;  // how it was decided: "nodeName", "fargate-scheduler", "inventory", ...
  [[nodiscard]] bool unknown() const { return targets.empty(); }
  [[nodiscard]] bool has(Target t) const;
};

// The OS of a node as the decision sees it (Bottlerocket splits by user-namespace support).
Target target_of(const Node& node);
// target_of, with the config's pools (a pool with userNamespaces: false makes Bottlerocket
// nodes kBottlerocketNoUserns).
Target node_target(const Node& node, const PolicyConfig& config);
// The admin's profile for a target.
const Profile& profile_for(Target target, const Profiles& profiles);
// Whether kubelet on `node` applies RuntimeDefault to pods without a seccomp profile: its pool's
// `seccompDefault`, else its target's profile.
bool node_seccomp_default(const Node& node, const PolicyConfig& config);
Prediction predict(const PodScheduling& pod, const NodeIndex& index, const PolicyConfig& config);
// For `inject --node-os`: the prediction that OS alone implies.
Prediction forced(NodeOs os, const NodeIndex& index, const PolicyConfig& config);

}  // namespace jk::policy
