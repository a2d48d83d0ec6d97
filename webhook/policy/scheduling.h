#pragma once
// The scheduling-relevant facts of a pod, decoded from the Pod spec by webhook/admission.
#include <optional>
#include <string>
#include <vector>

#include "webhook/policy/node.h"

namespace jk::policy {

enum class SelectorOp { kIn, kNotIn, kExists, kDoesNotExist, kGt, kLt };

struct SelectorRequirement {
  std::string key;
  SelectorOp op = SelectorOp::kIn;
  std::vector<std::string> values;
};

// One nodeSelectorTerm: expressions and fields are ANDed. Terms are ORed.
struct SelectorTerm {
  std::vector<SelectorRequirement> match_expressions;
  std::vector<SelectorRequirement> match_fields;  // only metadata.name is defined
};

struct Toleration {
  std::string key;           // empty + Exists: tolerates everything
  std::string op = "Equal";  // Equal | Exists
  std::string value;
  std::string effect;  // empty: all effects
};

struct PodScheduling {
  std::string node_name;
  Labels node_selector;
  std::vector<SelectorTerm> required_terms;  // empty: no required node affinity
  std::vector<Toleration> tolerations;
  std::string scheduler_name;
  bool fargate_profile_label = false;  // pod label eks.amazonaws.com/fargate-profile
};

// Does the term select this node? (Unknown operators never reach here: the decoder rejects.)
bool term_matches(const SelectorTerm& term, const Node& node);
// nodeSelector, required affinity and taints together: could the scheduler place the pod here?
bool node_fits(const PodScheduling& pod, const Node& node);
bool tolerates(const std::vector<Toleration>& tolerations, const Taint& taint);

}  // namespace jk::policy
