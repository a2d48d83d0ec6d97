#include "webhook/policy/decide.h"

#include <algorithm>

#include "common/strings.h"

namespace jk::policy {
namespace {

constexpr KernelVersion kLandlockAbi4Kernel{6, 7, 0};
// seccompjail installs the agent's socket with SECCOMP_IOCTL_NOTIF_ADDFD (Linux 5.9).
constexpr KernelVersion kSeccompAddfdKernel{5, 9, 0};

const Profile& profile_for(Target t, const Profiles& p) {
  switch (t) {
    case Target::kAmazonLinux: return p.amazon_linux;
    case Target::kBottlerocket: return p.bottlerocket;
    case Target::kBottlerocketNoUserns: return p.bottlerocket_no_userns;
    case Target::kFargate: return p.fargate;
    case Target::kOther: return p.other;
  }
  return p.other;
}

NodeOs os_of(Target t) {
  switch (t) {
    case Target::kAmazonLinux: return NodeOs::kAmazonLinux;
    case Target::kBottlerocket:
    case Target::kBottlerocketNoUserns: return NodeOs::kBottlerocket;
    case Target::kFargate: return NodeOs::kFargate;
    case Target::kOther: return NodeOs::kOther;
  }
  return NodeOs::kOther;
}

std::string target_list(const Prediction& p) {
  std::vector<std::string> names;
  for (const Target t : p.targets) names.emplace_back(target_name(t));
  return join(names, ", ");
}

Profile same_jail_union(const std::vector<Profile>& profiles) {
  Profile u = profiles.front();
  for (const Profile& p : profiles) {
    u.capabilities.insert(u.capabilities.end(), p.capabilities.begin(), p.capabilities.end());
    u.seccomp_unconfined = u.seccomp_unconfined || p.seccomp_unconfined;
    u.user_namespace = u.user_namespace && p.user_namespace;
    if (p.fallback != u.fallback) u.fallback.clear();
  }
  std::sort(u.capabilities.begin(), u.capabilities.end());
  u.capabilities.erase(std::unique(u.capabilities.begin(), u.capabilities.end()),
                       u.capabilities.end());
  return u;
}

// The jail that can run on any node without privileges: seccompjail, or one that falls back to it.
bool runs_anywhere(const Profile& p) {
  if (!p.capabilities.empty() || p.seccomp_unconfined) return false;
  return p.jail == JailType::kSeccompjail ||
         std::find(p.fallback.begin(), p.fallback.end(), JailType::kSeccompjail) != p.fallback.end();
}

void decide_unknown(Decision& d, const PolicyConfig& config) {
  d.node_os_label = "unknown";
  if (config.unknown == UnknownStrategy::kDeny) {
    d.denied = true;
    d.deny_message =
        "jailkeeper: no known node can run this pod, so its OS (and the jail privileges it needs) "
        "cannot be predicted; pin it to a node pool with a nodeSelector, or ask your admin to add "
        "a static pool entry or set strategies.unknown: profile";
    return;
  }
  d.profile = config.profiles.unknown;
  d.warnings.push_back("jailkeeper: node OS unknown (no matching node); applied the 'unknown' profile");
}

void check_fargate_kernel(Decision& d, const PolicyConfig& config) {
  const auto& k = d.prediction.max_fargate_kernel;
  if (!d.prediction.has(Target::kFargate) || d.profile.jail != JailType::kLandjail || !k ||
      !(*k < kLandlockAbi4Kernel)) {
    return;
  }
  const bool falls_back = runs_anywhere(d.profile) && !(*k < kSeccompAddfdKernel);
  std::string msg = "jailkeeper: Fargate kernel " + k->str() + " < 6.7 lacks Landlock ABI 4";
  if (falls_back) {
    msg += "; the launcher falls back to seccompjail (Linux >= 5.9)";
  } else if (runs_anywhere(d.profile)) {
    msg += " and < 5.9 lacks seccomp ADDFD: no jail can start";
  } else {
    msg += "; landjail will refuse to start";
  }
  if (config.fargate_old_kernel == OldKernelStrategy::kDeny) {
    d.denied = true;
    d.deny_message = msg + " (strategies.fargateOldKernel: deny). Run the agent on EC2 nodes "
                           "(nodeSelector) or ask your admin to allow it.";
    return;
  }
  d.warnings.push_back(msg);
}

}  // namespace

std::optional<Profile> unite(const std::vector<Profile>& profiles) {
  if (profiles.empty()) return std::nullopt;
  const bool same_jail = std::all_of(profiles.begin(), profiles.end(), [&](const Profile& p) {
    return p.jail == profiles.front().jail;
  });
  if (same_jail) return same_jail_union(profiles);
  const auto anywhere = std::find_if(profiles.begin(), profiles.end(), runs_anywhere);
  if (anywhere != profiles.end()) return *anywhere;
  return std::nullopt;
}

Decision decide(const Prediction& prediction, const PolicyConfig& config) {
  Decision d;
  d.prediction = prediction;
  if (prediction.unknown()) {
    decide_unknown(d, config);
    return d;
  }
  std::vector<Profile> profiles;
  for (const Target t : prediction.targets) profiles.push_back(profile_for(t, config.profiles));
  d.node_os = os_of(prediction.targets.front());
  const bool one_os = std::all_of(prediction.targets.begin(), prediction.targets.end(),
                                  [&](Target t) { return os_of(t) == d.node_os; });
  d.node_os_label = one_os ? std::string(os_name(d.node_os)) : "mixed";
  if (profiles.size() == 1) {
    d.profile = profiles.front();
  } else if (config.mixed == MixedStrategy::kDeny) {
    d.denied = true;
    d.deny_message = "jailkeeper: this pod can land on nodes of different kinds (" +
                     target_list(prediction) +
                     ") and strategies.mixed is deny; pin it to one node pool with a nodeSelector";
    return d;
  } else if (const auto u = unite(profiles)) {
    d.profile = *u;
    if (!one_os) {
      d.warnings.push_back("jailkeeper: pod may land on " + target_list(prediction) +
                           "; granted what works on all");
    }
  } else {
    d.denied = true;
    d.deny_message = "jailkeeper: no single jail works on every node this pod can land on (" +
                     target_list(prediction) + "); pin it to one node pool with a nodeSelector";
    return d;
  }
  check_fargate_kernel(d, config);
  return d;
}

}  // namespace jk::policy
