#pragma once
// Pod Security Admission, as far as jailkeeper's patch is concerned: would the capabilities and
// seccomp profile the patch gives a jailed container break the namespace's enforced level (deny
// or warn, by strategies.podSecurity), or its warn/audit level (always a warning)? Pure.
//
// Only what the patch adds is checked (capabilities.add, seccompProfile Unconfined); the rest of
// the pod is the API server's business. `pod-security.kubernetes.io/<mode>-version` labels are
// ignored: the rules checked here are the same in every released version.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "webhook/policy/node.h"
#include "webhook/policy/policy_config.h"

namespace jk::policy {

enum class PsaLevel { kPrivileged, kBaseline, kRestricted };
std::string_view psa_level_name(PsaLevel level);
// "privileged" | "baseline" | "restricted"; anything else is treated as restricted, as the
// API server does with an invalid level (fail closed).
PsaLevel parse_psa_level(std::string_view value);

inline constexpr std::string_view kPsaEnforceLabel = "pod-security.kubernetes.io/enforce";
inline constexpr std::string_view kPsaWarnLabel = "pod-security.kubernetes.io/warn";
inline constexpr std::string_view kPsaAuditLabel = "pod-security.kubernetes.io/audit";

// What the patch would put on each jailed container, as far as PSA looks at it.
struct SecurityChange {
  std::vector<std::string> added_capabilities;  // Kubernetes names, e.g. "NET_ADMIN"
  bool seccomp_unconfined = false;
};

// The parts of `change` that `level` forbids, e.g. {"NET_ADMIN", "seccomp Unconfined"};
// empty when allowed.
std::vector<std::string> psa_violations(PsaLevel level, const SecurityChange& change);

struct PodSecurityVerdict {
  bool denied = false;
  std::string deny_message;
  std::vector<std::string> warnings;
};

// `namespace_labels` are the labels of `namespace_name`; a missing label means privileged.
PodSecurityVerdict check_pod_security(std::string_view namespace_name,
                                      const Labels& namespace_labels, const SecurityChange& change,
                                      PodSecurityStrategy strategy);

}  // namespace jk::policy
