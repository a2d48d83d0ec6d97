#pragma once
// The scheduling-relevant facts of a pod, decoded from the Pod spec by webhook/review. Their
// strings are views into the decoded pod's document (webhook/inject/pod.h says whose), so
// decoding copies no key, value or name; whoever builds one by hand keeps its strings alive.
#include <optional>
#include <string_view>
#include <vector>

#include "common/sorted_pairs.h"

#include "webhook/policy/node.h"

namespace jk::policy {

enum class SelectorOp { kIn, kNotIn, kExists, kDoesNotExist, kGt, kLt };

struct SelectorRequirement {
  std::string_view key;
  SelectorOp op = SelectorOp::kIn;
  std::vector<std::string_view> values;
};

// One nodeSelectorTerm: expressions and fields are ANDed. Terms are ORed.
struct SelectorTerm {
  std::vector<SelectorRequirement> match_expressions;
  std::vector<SelectorRequirement> match_fields;  // only metadata.name is defined
};

struct Toleration {
  std::string_view key;           // empty + Exists: tolerates everything
  std::string_view op = "Equal";  // Equal | Exists
  std::string_view value;
  std::string_view effect;  // empty: all effects
};

// spec.nodeSelector: (key, value) pairs, sorted by key, each key once.
using NodeSelector = SortedPairs;
// The value `selector` requires for `key`, if it names the key.
std::optional<std::string_view> selector_value(const NodeSelector& selector, std::string_view key);

struct PodScheduling {
  std::string_view node_name;
  NodeSelector node_selector;
  std::vector<SelectorTerm> required_terms;  // empty: no required node affinity
  std::vector<Toleration> tolerations;
  std::string_view scheduler_name;
  bool fargate_profile_label = false;  // pod label eks.amazonaws.com/fargate-profile
};

// Does the term select this node? (Unknown operators never reach here: the decoder rejects.)
bool term_matches(const SelectorTerm& term, const Node& node);
// nodeSelector, required affinity and taints together: could the scheduler place the pod here?
bool node_fits(const PodScheduling& pod, const Node& node);
bool tolerates(const std::vector<Toleration>& tolerations, const Taint& taint);

}  // namespace jk::policy
