#pragma once
// `profiles:` and the `bottlerocketGrant:` shorthand (private to webhook/config).
#include <yaml-cpp/yaml.h>

#include <string>

#include "common/result.h"
#include "webhook/policy/policy_config.h"

namespace jk::config {

// The shorthand `bottlerocketGrant` applied to a Bottlerocket profile: its runtimeDefaultGrant.
void apply_bottlerocket_grant(policy::BottlerocketGrant grant, policy::Profile& profile);
Result<policy::BottlerocketGrant> read_grant(const YAML::Node& node, const std::string& path);

// Each profile given replaces the default as a whole. `bottlerocket_set` reports whether
// profiles.bottlerocket was given (it conflicts with bottlerocketGrant).
Status read_profiles(const YAML::Node& node, const std::string& path, policy::Profiles& out,
                     bool& bottlerocket_set);

}  // namespace jk::config
