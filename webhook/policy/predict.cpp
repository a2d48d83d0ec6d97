#include "webhook/policy/predict.h"

#include <algorithm>

namespace jk::policy {
namespace {

constexpr std::string_view kFargateScheduler = "fargate-scheduler";

bool selector_matches(const Labels& selector, const Labels& labels) {
  return std::all_of(selector.begin(), selector.end(), [&](const auto& kv) {
    const auto it = labels.find(kv.first);
    return it != labels.end() && it->second == kv.second;
  });
}

// A config pool with a static OS stands in for the nodes it can create.
Node pool_node(const Pool& pool) {
  Node n;
  n.name = "pool/" + pool.name;
  n.labels = pool.selector;
  n.taints = pool.taints;
  n.os = pool.os.value_or(NodeOs::kOther);
  n.kernel = pool.kernel;
  n.user_namespaces_off = !pool.user_namespaces;
  n.is_static_pool = true;
  return n;
}

bool pool_disables_userns(const Node& node, const PolicyConfig& config) {
  return std::any_of(config.pools.begin(), config.pools.end(), [&](const Pool& p) {
    return !p.user_namespaces && selector_matches(p.selector, node.labels);
  });
}

class Collector {
 public:
  Collector(Prediction& p, const PolicyConfig& config) : p_(p), config_(config) {}
  void add(const Node& node) {
    ++p_.candidates;
    Target t = target_of(node);
    if (t == Target::kBottlerocket && pool_disables_userns(node, config_)) {
      t = Target::kBottlerocketNoUserns;
    }
    if (!p_.has(t)) {
      p_.targets.insert(std::lower_bound(p_.targets.begin(), p_.targets.end(), t), t);
    }
    if (node.kernel && (!p_.min_kernel || *node.kernel < *p_.min_kernel)) p_.min_kernel = node.kernel;
  }

 private:
  Prediction& p_;
  const PolicyConfig& config_;
};

// The nodes worth testing: a posting list from the most selective indexed constraint, or all.
std::vector<std::size_t> seed(const PodScheduling& pod, const NodeIndex& index, bool& all) {
  const std::vector<std::size_t>* best = nullptr;
  for (const auto& [k, v] : pod.node_selector) {
    const auto& list = index.with_label(k, v);
    if (best == nullptr || list.size() < best->size()) best = &list;
  }
  if (best != nullptr) return *best;
  // One required term with an `In` expression: the union of its values' posting lists.
  if (pod.required_terms.size() == 1) {
    for (const auto& r : pod.required_terms[0].match_expressions) {
      if (r.op != SelectorOp::kIn) continue;
      std::vector<std::size_t> out;
      for (const auto& v : r.values) {
        const auto& list = index.with_label(r.key, v);
        out.insert(out.end(), list.begin(), list.end());
      }
      std::sort(out.begin(), out.end());
      out.erase(std::unique(out.begin(), out.end()), out.end());
      return out;
    }
  }
  all = true;
  return {};
}

void fargate_kernels(Prediction& p, const NodeIndex& index, const PolicyConfig& config) {
  const auto consider = [&p](const Node& n) {
    if (n.os == NodeOs::kFargate && n.kernel &&
        (!p.max_fargate_kernel || *p.max_fargate_kernel < *n.kernel)) {
      p.max_fargate_kernel = n.kernel;
    }
  };
  p.max_fargate_kernel = index.max_fargate_kernel();
  for (const Pool& pool : config.pools) {
    if (pool.os == NodeOs::kFargate) consider(pool_node(pool));
  }
}

}  // namespace

std::string_view target_name(Target target) {
  switch (target) {
    case Target::kAmazonLinux: return "amazon-linux";
    case Target::kBottlerocket: return "bottlerocket";
    case Target::kBottlerocketNoUserns: return "bottlerocket-no-userns";
    case Target::kFargate: return "fargate";
    case Target::kOther: return "other";
  }
  return "other";
}

bool Prediction::has(Target t) const {
  return std::binary_search(targets.begin(), targets.end(), t);
}

Target target_of(const Node& node) {
  switch (node.os) {
    case NodeOs::kAmazonLinux: return Target::kAmazonLinux;
    case NodeOs::kBottlerocket:
      return node.user_namespaces_off ? Target::kBottlerocketNoUserns : Target::kBottlerocket;
    case NodeOs::kFargate: return Target::kFargate;
    case NodeOs::kOther: return Target::kOther;
  }
  return Target::kOther;
}

Prediction predict(const PodScheduling& pod, const NodeIndex& index, const PolicyConfig& config) {
  Prediction p;
  Collector collect(p, config);
  fargate_kernels(p, index, config);
  if (pod.scheduler_name == kFargateScheduler || pod.fargate_profile_label) {
    p.basis = pod.fargate_profile_label ? "fargate-profile" : "fargate-scheduler";
    p.targets = {Target::kFargate};
    p.candidates = 1;
    p.min_kernel = p.max_fargate_kernel;
    return p;
  }
  if (!pod.node_name.empty()) {
    p.basis = "nodeName";
    if (const Node* n = index.by_name(pod.node_name)) collect.add(*n);
    return p;
  }
  bool all = false;
  const std::vector<std::size_t> seeds = seed(pod, index, all);
  const auto test = [&](const Node& n) {
    if (node_fits(pod, n)) collect.add(n);
  };
  if (all) {
    for (const Node& n : index.nodes()) test(n);
  } else {
    for (const std::size_t i : seeds) test(index.nodes()[i]);
  }
  for (const Pool& pool : config.pools) {
    if (pool.os) test(pool_node(pool));
  }
  p.basis = "inventory";
  return p;
}

Prediction forced(NodeOs os, const NodeIndex& index) {
  Prediction p;
  p.basis = "--node-os";
  p.candidates = 1;
  Node node;
  node.os = os;
  p.targets = {target_of(node)};
  PolicyConfig none;
  fargate_kernels(p, index, none);
  return p;
}

}  // namespace jk::policy
