#pragma once
// From a prediction and the admin config to the grant every jailed container gets. Pure.
#include <optional>
#include <string>
#include <vector>

#include "webhook/policy/policy_config.h"
#include "webhook/policy/predict.h"

namespace jk::policy {

struct Decision {
  Prediction prediction;
  NodeOs node_os = NodeOs::kOther;  // reported in jailkeeper.io/status ("mixed" shown as first)
  std::string node_os_label;        // "amazon-linux", "bottlerocket", "mixed", "unknown", ...
  Profile profile;                  // what to grant
  std::vector<std::string> warnings;
  bool denied = false;
  std::string deny_message;
};

Decision decide(const Prediction& prediction, const PolicyConfig& config);
// Union that works on every profile given (same jail; caps unioned; seccomp OR; userns AND).
// Profiles whose jails differ unify to the capability-free one when it exists.
std::optional<Profile> unite(const std::vector<Profile>& profiles);

}  // namespace jk::policy
