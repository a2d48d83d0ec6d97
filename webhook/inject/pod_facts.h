#pragma once
// The facts of a Pod the decision reads: scheduling constraints and the skip conditions
// (decoded by webhook/review/pod_facts.h; strings are views into the pod's document, pod.h).
#include <string_view>

#include "webhook/policy/scheduling.h"

namespace jk::inject {

struct PodFacts {
  std::string_view name;  // metadata.name or generateName
  std::string_view namespace_name;
  policy::PodScheduling scheduling;
  bool host_network = false;
  bool mirror = false;     // annotation kubernetes.io/config.mirror
  bool opted_out = false;  // label jailkeeper.io/inject=disabled
};

}  // namespace jk::inject
