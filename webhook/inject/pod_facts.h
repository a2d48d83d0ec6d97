#pragma once
// The facts of a Pod the decision reads: scheduling constraints and the skip conditions.
// Wrong types and unknown selector operators are errors (the pod would fail validation anyway,
// and a pod we cannot read must not slip through unjailed).
#include <string>

#include <nlohmann/json.hpp>

#include "common/result.h"
#include "webhook/policy/scheduling.h"

namespace jk::inject {

struct PodFacts {
  std::string name;  // metadata.name or generateName
  std::string namespace_name;
  policy::PodScheduling scheduling;
  bool host_network = false;
  bool mirror = false;        // annotation kubernetes.io/config.mirror
  bool opted_out = false;     // label jailkeeper.io/inject=disabled
};

Result<PodFacts> decode_pod_facts(const nlohmann::json& pod);

}  // namespace jk::inject
