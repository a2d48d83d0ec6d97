#pragma once
// Reads the user-facing pod annotations: jailkeeper.io/containers, jailkeeper.io/policy and
// jailkeeper.io/entrypoint. A wrong value is an error (denied with the reason), never ignored:
// a typo must not leave an agent unjailed.
#include <string>
#include <vector>

#include "common/result.h"
#include "webhook/inject/patch_builder.h"
#include "webhook/inject/pod.h"
#include "webhook/policy/policy_config.h"

namespace jk::inject {

inline constexpr std::string_view kContainersAnnotation = "jailkeeper.io/containers";
inline constexpr std::string_view kPolicyAnnotation = "jailkeeper.io/policy";
inline constexpr std::string_view kEntrypointAnnotation = "jailkeeper.io/entrypoint";

struct PodChoice {
  std::vector<JailedContainer> containers;
  std::string policy = "default";
};

// Also where spec.containers' own errors surface (pod.h: read after the skip rules).
Result<PodChoice> read_pod_annotations(const Pod& pod, const policy::PolicyConfig& config);

}  // namespace jk::inject
