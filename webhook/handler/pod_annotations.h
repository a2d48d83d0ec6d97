#pragma once
// Reads the user-facing pod annotations: jailkeeper.io/containers, jailkeeper.io/policy and
// jailkeeper.io/entrypoint. A wrong value is an error (denied with the reason), never ignored:
// a typo must not leave an agent unjailed.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.h"
#include "webhook/patch/patch_builder.h"
#include "webhook/policy/policy_config.h"

namespace jk::handler {

inline constexpr std::string_view kContainersAnnotation = "jailkeeper.io/containers";
inline constexpr std::string_view kPolicyAnnotation = "jailkeeper.io/policy";
inline constexpr std::string_view kEntrypointAnnotation = "jailkeeper.io/entrypoint";

struct PodChoice {
  std::vector<patch::JailedContainer> containers;
  std::string policy = "default";
};

Result<PodChoice> read_pod_annotations(const nlohmann::json& pod,
                                       const policy::PolicyConfig& config);

}  // namespace jk::handler
