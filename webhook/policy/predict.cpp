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

void insert_sorted(std::vector<std::string>& values, std::string_view value) {
  const auto at = std::lower_bound(values.begin(), values.end(), value);
  if (at == values.end() || *at != value) values.insert(at, std::string(value));
}

// The architectures the pod's own constraints allow, when they name them: its nodeSelector's
// kubernetes.io/arch, else the In values of a kubernetes.io/arch expression in every required
// term (terms are ORed, so one term without one allows any). Empty: not pinned.
std::vector<std::string> pinned_architectures(const PodScheduling& pod) {
  std::vector<std::string> out;
  if (const auto arch = selector_value(pod.node_selector, kArchLabel)) {
    out.emplace_back(*arch);
    return out;
  }
  for (const SelectorTerm& term : pod.required_terms) {
    const auto r = std::find_if(term.match_expressions.begin(), term.match_expressions.end(),
                                [](const SelectorRequirement& e) {
                                  return e.key == kArchLabel && e.op == SelectorOp::kIn;
                                });
    if (r == term.match_expressions.end()) return {};
    for (const std::string_view v : r->values) insert_sorted(out, v);
  }
  return out;
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
  n.arch = node_arch(pool.selector, "");
  n.is_static_pool = true;
  return n;
}

bool pool_disables_userns(const Node& node, const PolicyConfig& config) {
  return std::any_of(config.pools.begin(), config.pools.end(), [&](const Pool& p) {
    return !p.user_namespaces && selector_matches(p.selector, node.labels);
  });
}

}  // namespace

Target node_target(const Node& node, const PolicyConfig& config) {
  const Target t = target_of(node);
  return t == Target::kBottlerocket && pool_disables_userns(node, config)
             ? Target::kBottlerocketNoUserns
             : t;
}

namespace {

class Collector {
 public:
  Collector(Prediction& p, const PolicyConfig& config) : p_(p), config_(config) {}
  void add(const Node& node) {
    ++p_.candidates;
    const Target t = node_target(node, config_);
    if (!p_.has(t)) {
      p_.targets.insert(std::lower_bound(p_.targets.begin(), p_.targets.end(), t), t);
    }
    if (node.kernel && (!p_.min_kernel || *node.kernel < *p_.min_kernel))
      p_.min_kernel = node.kernel;
    TargetFacts& f = p_.facts[t];
    if (!node.kernel) f.kernel_unknown = true;
    if (node.kernel && (!f.newest_kernel || *f.newest_kernel < *node.kernel)) {
      f.newest_kernel = node.kernel;
    }
    f.seccomp_default = f.seccomp_default || node_seccomp_default(node, config_);
    if (!node.arch.empty()) insert_sorted(p_.architectures, node.arch);
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
    case Target::kAmazonLinux:
      return "amazon-linux";
    case Target::kBottlerocket:
      return "bottlerocket";
    case Target::kBottlerocketNoUserns:
      return "bottlerocket-no-userns";
    case Target::kFargate:
      return "fargate";
    case Target::kOther:
      return "other";
  }
  return "other";
}

const Profile& profile_for(Target t, const Profiles& p) {
  switch (t) {
    case Target::kAmazonLinux:
      return p.amazon_linux;
    case Target::kBottlerocket:
      return p.bottlerocket;
    case Target::kBottlerocketNoUserns:
      return p.bottlerocket_no_userns;
    case Target::kFargate:
      return p.fargate;
    case Target::kOther:
      return p.other;
  }
  return p.other;
}

bool node_seccomp_default(const Node& node, const PolicyConfig& config) {
  for (const Pool& pool : config.pools) {
    if (pool.seccomp_default && selector_matches(pool.selector, node.labels)) {
      return *pool.seccomp_default;
    }
  }
  return profile_for(node_target(node, config), config.profiles).seccomp_default;
}

bool Prediction::has(Target t) const {
  return std::binary_search(targets.begin(), targets.end(), t);
}

Target target_of(const Node& node) {
  switch (node.os) {
    case NodeOs::kAmazonLinux:
      return Target::kAmazonLinux;
    case NodeOs::kBottlerocket:
      return node.user_namespaces_off ? Target::kBottlerocketNoUserns : Target::kBottlerocket;
    case NodeOs::kFargate:
      return Target::kFargate;
    case NodeOs::kOther:
      return Target::kOther;
  }
  return Target::kOther;
}

namespace {

Prediction predict_targets(const PodScheduling& pod, const NodeIndex& index,
                           const PolicyConfig& config) {
  Prediction p;
  Collector collect(p, config);
  fargate_kernels(p, index, config);
  if (pod.scheduler_name == kFargateScheduler || pod.fargate_profile_label) {
    p.basis = pod.fargate_profile_label ? "fargate-profile" : "fargate-scheduler";
    p.targets = {Target::kFargate};
    p.candidates = 1;
    p.min_kernel = p.max_fargate_kernel;
    p.facts[Target::kFargate] = {p.max_fargate_kernel, !p.max_fargate_kernel,
                                 config.profiles.fargate.seccomp_default};
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
  if (const auto f = p.facts.find(Target::kFargate); f != p.facts.end()) {
    // Every Fargate pod gets a node of its own: any Fargate kernel may come next.
    const auto& newest = p.max_fargate_kernel;
    if (newest && (!f->second.newest_kernel || *f->second.newest_kernel < *newest)) {
      f->second.newest_kernel = newest;
    }
  }
  return p;
}

}  // namespace

Prediction predict(const PodScheduling& pod, const NodeIndex& index, const PolicyConfig& config) {
  Prediction p = predict_targets(pod, index, config);
  if (p.architectures.empty()) p.architectures = pinned_architectures(pod);
  return p;
}

Prediction forced(NodeOs os, const NodeIndex& index, const PolicyConfig& config) {
  Prediction p;
  p.basis = "--node-os";
  p.candidates = 1;
  Node node;
  node.os = os;
  const Target t = target_of(node);
  p.targets = {t};
  fargate_kernels(p, index, config);
  TargetFacts& f = p.facts[t];
  f.seccomp_default = profile_for(t, config.profiles).seccomp_default;
  f.kernel_unknown = true;
  if (t == Target::kFargate && p.max_fargate_kernel) {
    f.newest_kernel = p.max_fargate_kernel;
    f.kernel_unknown = false;
  }
  return p;
}

}  // namespace jk::policy
