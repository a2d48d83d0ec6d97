#include "webhook/policy/pod_security.h"

#include <algorithm>
#include <array>

#include "common/strings.h"

namespace jk::policy {
namespace {

// Pod Security Standards, "Capabilities": what baseline allows in capabilities.add.
constexpr std::array<std::string_view, 13> kBaselineCapabilities = {
    "AUDIT_WRITE",      "CHOWN",   "DAC_OVERRIDE", "FOWNER",  "FSETID", "KILL",      "MKNOD",
    "NET_BIND_SERVICE", "SETFCAP", "SETGID",       "SETPCAP", "SETUID", "SYS_CHROOT"};
// Restricted: only NET_BIND_SERVICE may be added (and ALL must be dropped: not ours to check).
constexpr std::array<std::string_view, 1> kRestrictedCapabilities = {"NET_BIND_SERVICE"};

template <std::size_t N>
bool listed(const std::array<std::string_view, N>& allowed, std::string_view cap) {
  return std::find(allowed.begin(), allowed.end(), cap) != allowed.end();
}

bool capability_allowed(PsaLevel level, std::string_view cap) {
  switch (level) {
    case PsaLevel::kPrivileged:
      return true;
    case PsaLevel::kBaseline:
      return listed(kBaselineCapabilities, cap);
    case PsaLevel::kRestricted:
      return listed(kRestrictedCapabilities, cap);
  }
  return false;
}

std::optional<PsaLevel> level_at(const Labels& labels, std::string_view key) {
  const auto it = labels.find(key);
  if (it == labels.end()) return std::nullopt;
  return parse_psa_level(it->second);
}

std::string label_text(std::string_view label, const Labels& labels) {
  return std::string(label) + "=" + labels.find(label)->second;
}

std::string deny_message(std::string_view ns, const std::string& label,
                         const std::vector<std::string>& violations) {
  return "jailkeeper: namespace \"" + std::string(ns) + "\" enforces Pod Security (" + label +
         ") and this pod's jail needs " + join(violations, ", ") +
         ", which that level forbids. Ways out: use the landjail (needs no privileges: run on "
         "EKS Fargate, or ask your admin for a landjail profile on Linux >= 6.7 nodes), or "
         "relabel the namespace pod-security.kubernetes.io/enforce=privileged, or ask your admin "
         "to set strategies.podSecurity: warn";
}

}  // namespace

std::string_view psa_level_name(PsaLevel level) {
  switch (level) {
    case PsaLevel::kPrivileged:
      return "privileged";
    case PsaLevel::kBaseline:
      return "baseline";
    case PsaLevel::kRestricted:
      return "restricted";
  }
  return "restricted";
}

PsaLevel parse_psa_level(std::string_view value) {
  if (value == "privileged") return PsaLevel::kPrivileged;
  if (value == "baseline") return PsaLevel::kBaseline;
  return PsaLevel::kRestricted;
}

std::vector<std::string> psa_violations(PsaLevel level, const SecurityChange& change) {
  std::vector<std::string> out;
  for (const auto& cap : change.added_capabilities) {
    if (!capability_allowed(level, cap)) out.push_back(cap);
  }
  if (change.seccomp_unconfined && level != PsaLevel::kPrivileged) {
    out.emplace_back("seccomp Unconfined");
  }
  return out;
}

PodSecurityVerdict check_pod_security(std::string_view namespace_name,
                                      const Labels& namespace_labels, const SecurityChange& change,
                                      PodSecurityStrategy strategy) {
  PodSecurityVerdict v;
  if (const auto level = level_at(namespace_labels, kPsaEnforceLabel)) {
    const auto violations = psa_violations(*level, change);
    const std::string label = label_text(kPsaEnforceLabel, namespace_labels);
    if (!violations.empty() && strategy == PodSecurityStrategy::kDeny) {
      v.denied = true;
      v.deny_message = deny_message(namespace_name, label, violations);
      return v;
    }
    if (!violations.empty()) {
      v.warnings.push_back("jailkeeper: " + label + " forbids " + join(violations, ", ") +
                           " (podSecurity: warn)");
    }
  }
  for (const std::string_view key : {kPsaWarnLabel, kPsaAuditLabel}) {
    const auto level = level_at(namespace_labels, key);
    const auto violations = level ? psa_violations(*level, change) : std::vector<std::string>{};
    if (!violations.empty()) {
      v.warnings.push_back("jailkeeper: " + label_text(key, namespace_labels) + " forbids " +
                           join(violations, ", "));
    }
  }
  return v;
}

}  // namespace jk::policy
