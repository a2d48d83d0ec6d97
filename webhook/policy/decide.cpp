#include "webhook/policy/decide.h"

#include <algorithm>
#include <span>

#include "common/strings.h"

namespace jk::policy {
namespace {

using launchspec::jail_name;
using launchspec::JailType;

// One kind of node the pod may land on, with what the admin allows there.
struct Site {
  std::string name;  // "amazon-linux", "fargate", "unknown", ...
  const Profile* profile = nullptr;
  NodeEnv env;
  bool fargate = false;
};

// One jail tried for the whole pod.
struct Attempt {
  JailType jail = JailType::kNsjail;
  std::vector<std::string> why_not;  // empty: feasible
  std::vector<ContainerGrant> grants;
  bool uncertain = false;  // depends on a kernel feature no candidate proves
  std::optional<KernelVersion> old_fargate_kernel;  // landjail ruled out by Fargate's kernel
  [[nodiscard]] bool feasible() const { return why_not.empty(); }
};

NodeOs os_of(Target t) {
  switch (t) {
    case Target::kAmazonLinux:
      return NodeOs::kAmazonLinux;
    case Target::kBottlerocket:
    case Target::kBottlerocketNoUserns:
      return NodeOs::kBottlerocket;
    case Target::kFargate:
      return NodeOs::kFargate;
    case Target::kOther:
      return NodeOs::kOther;
  }
  return NodeOs::kOther;
}

std::string target_list(const Prediction& p) {
  std::vector<std::string> names;
  for (const Target t : p.targets) names.emplace_back(target_name(t));
  return join(names, ", ");
}

bool lists(const Profile& p, JailType jail) {
  return p.jail == jail ||
         std::find(p.fallback.begin(), p.fallback.end(), jail) != p.fallback.end();
}

void add_unique(std::vector<std::string>& list, const std::string& item) {
  if (std::find(list.begin(), list.end(), item) == list.end()) list.push_back(item);
}

// Each site's profile order, merged: first come, first tried.
std::vector<JailType> jail_order(const std::vector<Site>& sites) {
  std::vector<JailType> order;
  for (const Site& s : sites) {
    std::vector<JailType> own{s.profile->jail};
    own.insert(own.end(), s.profile->fallback.begin(), s.profile->fallback.end());
    for (const JailType j : own) {
      if (std::find(order.begin(), order.end(), j) == order.end()) order.push_back(j);
    }
  }
  return order;
}

// The grant for one container on one site, built need by need.
class GrantBuilder {
 public:
  GrantBuilder(const ContainerShape& shape, const Site& site, ContainerGrant& grant,
               std::vector<std::string>& why_not)
      : shape_(shape), site_(site), grant_(grant), why_not_(why_not) {}

  void apply(const JailNeed& need) {
    if (!need.impossible.empty()) return fail(need.impossible);
    for (const CapabilityNeed& c : need.capabilities) capability(c);
    if (need.seccomp_gate) lift(*need.seccomp_gate, need.seccomp_why);
    for (const auto& note : need.notes) add_unique(grant_.notes, note);
    for (const auto& w : need.warnings) add_unique(grant_.warnings, w);
    for (const auto& cap : site_.profile->capabilities) extra(cap);
    if (site_.profile->seccomp_unconfined) unconfine("the admin's profile for " + site_.name);
  }

 private:
  void fail(const std::string& why) {
    add_unique(why_not_, shape_.name + " on " + site_.name + ": " + why);
  }

  [[nodiscard]] bool holds(const std::string& cap) const {
    return holds_capability(shape_, cap) ||
           std::find(grant_.add.begin(), grant_.add.end(), cap) != grant_.add.end();
  }

  // Why `cap` cannot be added; empty when it can.
  [[nodiscard]] std::string refusal(const std::string& cap) const {
    if (!site_.env.capabilities_allowed) return site_.name + " accepts no added capability";
    if (drops_explicitly(shape_, cap)) return "the container drops " + cap;
    return "";
  }

  void add(const std::string& cap, const std::string& why) {
    if (holds(cap)) return;
    grant_.add.insert(std::lower_bound(grant_.add.begin(), grant_.add.end(), cap), cap);
    add_unique(grant_.why, cap + ": " + why);
  }

  void capability(const CapabilityNeed& c) {
    if (holds(c.capability)) return;
    const std::string refused = refusal(c.capability);
    if (refused.empty()) return add(c.capability, c.why);
    if (c.soft) {
      add_unique(grant_.notes, c.capability + " not added (" + refused +
                                   "): the agent runs with "
                                   "its uid unmapped (it sees 65534), file access unchanged");
      return;
    }
    fail("needs " + c.capability + " (" + c.why + "), but " + refused);
  }

  void unconfine(const std::string& why) {
    grant_.seccomp_unconfined = true;
    add_unique(grant_.why, "seccomp Unconfined: " + why);
  }

  void lift(const std::string& gate, const std::string& blocked) {
    if (holds(gate) || grant_.seccomp_unconfined) return;
    const std::string refused = refusal(gate);
    if (site_.profile->seccomp_lift == SeccompLift::kCapability && refused.empty()) {
      return add(gate, "RuntimeDefault seccomp allows " + blocked + " only with it");
    }
    unconfine("RuntimeDefault blocks " + blocked +
              (site_.profile->seccomp_lift == SeccompLift::kCapability
                   ? " (" + gate + " cannot be added: " + refused + ")"
                   : ""));
  }

  void extra(const std::string& cap) {
    if (refusal(cap).empty()) add(cap, "added by the admin's profile for " + site_.name);
  }

  const ContainerShape& shape_;
  const Site& site_;
  ContainerGrant& grant_;
  std::vector<std::string>& why_not_;
};

void merge(ContainerGrant& into, const ContainerGrant& from) {
  for (const auto& cap : from.add) {
    if (std::find(into.add.begin(), into.add.end(), cap) == into.add.end()) {
      into.add.insert(std::lower_bound(into.add.begin(), into.add.end(), cap), cap);
    }
  }
  into.seccomp_unconfined = into.seccomp_unconfined || from.seccomp_unconfined;
  for (const auto& w : from.why) add_unique(into.why, w);
  for (const auto& n : from.notes) add_unique(into.notes, n);
  for (const auto& w : from.warnings) add_unique(into.warnings, w);
}

bool covers(const ContainerGrant& big, const ContainerGrant& small) {
  if (small.seccomp_unconfined && !big.seccomp_unconfined) return false;
  return std::all_of(small.add.begin(), small.add.end(), [&](const std::string& cap) {
    return std::find(big.add.begin(), big.add.end(), cap) != big.add.end();
  });
}

std::optional<PsaLevel> enforced_level(const PodSecurityContext& psa) {
  const auto it = psa.labels.find(kPsaEnforceLabel);
  if (it == psa.labels.end()) return std::nullopt;
  return parse_psa_level(it->second);
}

// Under strategies.podSecurity: deny, what the enforced level forbids of these grants.
std::vector<std::string> pod_security_refusals(const std::vector<ContainerGrant>& grants,
                                               const std::optional<PodSecurityContext>& psa) {
  std::vector<std::string> out;
  if (!psa || psa->strategy != PodSecurityStrategy::kDeny) return out;
  const auto level = enforced_level(*psa);
  if (!level) return out;
  for (const ContainerGrant& g : grants) {
    const auto forbidden = psa_violations(*level, SecurityChange{g.add, g.seccomp_unconfined});
    if (!forbidden.empty()) {
      out.push_back(g.container + ": needs " + join(forbidden, ", ") + ", which namespace " +
                    psa->namespace_name + " forbids (" + std::string(kPsaEnforceLabel) + "=" +
                    std::string(psa_level_name(*level)) + ")");
    }
  }
  return out;
}

Attempt attempt(JailType jail, const std::vector<Site>& sites, const DecisionInput& input) {
  Attempt a;
  a.jail = jail;
  a.grants.resize(input.containers.size());
  for (std::size_t i = 0; i < input.containers.size(); ++i) {
    a.grants[i].container = input.containers[i].name;
  }
  for (const Site& site : sites) {
    if (!lists(*site.profile, jail)) {
      add_unique(a.why_not, "not allowed on " + site.name + " (profile)");
      continue;
    }
    for (std::size_t i = 0; i < input.containers.size(); ++i) {
      const ContainerShape& shape = input.containers[i];
      const JailNeed need = need_for(jail, site.profile->user_namespace, shape, site.env);
      a.uncertain = a.uncertain || need.kernel_uncertain;
      if (jail == JailType::kLandjail && site.fargate && !need.impossible.empty()) {
        a.old_fargate_kernel = site.env.newest_kernel;
      }
      ContainerGrant here;
      here.container = shape.name;
      GrantBuilder(shape, site, here, a.why_not).apply(need);
      merge(a.grants[i], here);
    }
  }
  for (auto& refusal : pod_security_refusals(a.grants, input.pod_security)) {
    a.why_not.push_back(std::move(refusal));
  }
  return a;
}

std::vector<Site> sites_of(const Prediction& prediction, const PolicyConfig& config) {
  std::vector<Site> sites;
  if (prediction.unknown()) {
    Site s{"unknown", &config.profiles.unknown, {}, false};
    s.env.seccomp_default = config.profiles.unknown.seccomp_default;
    s.env.capabilities_allowed = config.profiles.unknown.capabilities_allowed;
    sites.push_back(s);
    return sites;
  }
  for (const Target t : prediction.targets) {
    const auto f = prediction.facts.find(t);
    const TargetFacts facts =
        f == prediction.facts.end() ? TargetFacts{{}, true, false} : f->second;
    sites.push_back(Site{std::string(target_name(t)), &profile_for(t, config.profiles),
                         env_of(t, facts, config), t == Target::kFargate});
  }
  return sites;
}

std::string no_jail_message(const Prediction& p, const std::vector<Attempt>& attempts) {
  std::string msg = "jailkeeper: no jail can start for this pod on " +
                    (p.unknown() ? std::string("an unknown node") : target_list(p)) + ": ";
  std::vector<std::string> parts;
  for (const Attempt& a : attempts) {
    parts.push_back(std::string(jail_name(a.jail)) + ": " + join(a.why_not, "; "));
  }
  return msg + join(parts, " | ") +
         ". Ways out: run it on nodes where a jail needs no privilege (landjail on Linux >= 6.7), "
         "relax the pod's securityContext, or ask your admin (strategies.podSecurity: warn, "
         "profiles)";
}

// Later jails the launcher may fall back to at run time (see Profile::fallback).
void add_fallbacks(Decision& d, const Attempt& chosen, std::span<const Attempt> later,
                   const DecisionInput& input) {
  for (const Attempt& a : later) {
    if (!a.feasible()) continue;
    bool covered = true;
    for (std::size_t i = 0; i < a.grants.size(); ++i)
      covered = covered && covers(d.grants[i], a.grants[i]);
    if (covered) {
      d.fallback.push_back(a.jail);
      continue;
    }
    if (!chosen.uncertain) continue;  // the chosen jail will start: no need to grant more
    std::vector<ContainerGrant> merged = d.grants;
    for (std::size_t i = 0; i < merged.size(); ++i) merge(merged[i], a.grants[i]);
    if (!pod_security_refusals(merged, input.pod_security).empty()) continue;
    d.grants = std::move(merged);
    d.fallback.push_back(a.jail);
  }
}

void fargate_old_kernel(Decision& d, const Attempt& chosen, const Attempt& landjail,
                        const PolicyConfig& config) {
  if (!landjail.old_fargate_kernel || chosen.jail == JailType::kLandjail) return;
  std::string msg = "jailkeeper: Fargate kernel " + landjail.old_fargate_kernel->str() +
                    " < 6.7 lacks Landlock ABI 4";
  if (config.fargate_old_kernel == OldKernelStrategy::kDeny) {
    d.denied = true;
    d.deny_message = msg +
                     " (strategies.fargateOldKernel: deny). Run the agent on EC2 nodes "
                     "(nodeSelector) or ask your admin to allow it.";
    return;
  }
  d.warnings.push_back(msg + "; " + std::string(jail_name(chosen.jail)) + " instead");
}

void deny(Decision& d, std::string message) {
  d.denied = true;
  d.deny_message = std::move(message);
}

void pod_security_warnings(Decision& d, const DecisionInput& input) {
  if (!input.pod_security) return;
  const PodSecurityContext& psa = *input.pod_security;
  for (const ContainerGrant& g : d.grants) {
    const PodSecurityVerdict v =
        check_pod_security(psa.namespace_name, psa.labels,
                           SecurityChange{g.add, g.seccomp_unconfined}, PodSecurityStrategy::kWarn);
    for (const auto& w : v.warnings) add_unique(d.warnings, w);
  }
}

// The launcher's init container runs the image's binary for the node's architecture: a node of
// one the image lacks cannot start it (exec format error, or no such manifest). A warning, not a
// denial: the admin's list may lag a new image, and the scheduler may still pick a node the
// image has.
void architecture_warning(Decision& d, const Prediction& prediction,
                          const LauncherOptions& launcher) {
  std::vector<std::string> missing;
  for (const std::string& arch : prediction.architectures) {
    if (std::find(launcher.architectures.begin(), launcher.architectures.end(), arch) ==
        launcher.architectures.end()) {
      missing.push_back(arch);
    }
  }
  if (missing.empty()) return;
  const bool all = missing.size() == prediction.architectures.size();
  d.warnings.push_back(std::string("jailkeeper: pod ") +
                       (all ? "can only land on " : "may land on ") + join(missing, "/") +
                       " nodes, which the launcher image lacks (launcher.architectures)");
}

}  // namespace

NodeEnv env_of(Target target, const TargetFacts& facts, const PolicyConfig& config) {
  const Profile& p = profile_for(target, config.profiles);
  NodeEnv env;
  // Fargate's microVMs are not known to allow user namespaces: assume they do not.
  env.user_namespaces = target != Target::kBottlerocketNoUserns && target != Target::kFargate;
  env.seccomp_default = facts.seccomp_default;
  env.capabilities_allowed = p.capabilities_allowed;
  env.newest_kernel = facts.newest_kernel;
  env.kernel_unknown = facts.kernel_unknown || !facts.newest_kernel;
  return env;
}

NodeEnv env_of(const Node& node, const PolicyConfig& config) {
  const TargetFacts facts{node.kernel, !node.kernel, node_seccomp_default(node, config)};
  return env_of(node_target(node, config), facts, config);
}

Decision decide(Prediction predicted, const PolicyConfig& config, const DecisionInput& input) {
  Decision d;
  d.prediction = std::move(predicted);
  const Prediction& prediction = d.prediction;
  if (prediction.unknown()) {
    d.node_os_label = "unknown";
    if (config.unknown == UnknownStrategy::kDeny) {
      deny(d,
           "jailkeeper: no known node can run this pod, so its OS (and the jail privileges it "
           "needs) cannot be predicted; pin it to a node pool with a nodeSelector, or ask your "
           "admin to add a static pool entry or set strategies.unknown: profile");
      return d;
    }
    d.warnings.push_back(
        "jailkeeper: node OS unknown (no matching node); applied the 'unknown' profile");
  } else {
    d.node_os = os_of(prediction.targets.front());
    const bool one_os = std::all_of(prediction.targets.begin(), prediction.targets.end(),
                                    [&](Target t) { return os_of(t) == d.node_os; });
    d.node_os_label = one_os ? std::string(os_name(d.node_os)) : "mixed";
    if (prediction.targets.size() > 1 && config.mixed == MixedStrategy::kDeny) {
      deny(d, "jailkeeper: this pod can land on nodes of different kinds (" +
                  target_list(prediction) +
                  ") and strategies.mixed is deny; pin it to one node pool with a nodeSelector");
      return d;
    }
    if (!one_os) {
      d.warnings.push_back("jailkeeper: pod may land on " + target_list(prediction) +
                           "; granted what works on all");
    }
  }
  const std::vector<Site> sites = sites_of(prediction, config);
  const std::vector<JailType> order = jail_order(sites);
  std::vector<Attempt> attempts;
  attempts.reserve(order.size());
  for (const JailType jail : order) attempts.push_back(attempt(jail, sites, input));
  const auto chosen =
      std::find_if(attempts.begin(), attempts.end(), [](const Attempt& a) { return a.feasible(); });
  const auto landjail = std::find_if(attempts.begin(), attempts.end(), [](const Attempt& a) {
    return a.jail == JailType::kLandjail;
  });
  if (chosen == attempts.end()) {
    if (landjail != attempts.end() && landjail->old_fargate_kernel &&
        config.fargate_old_kernel == OldKernelStrategy::kDeny) {
      fargate_old_kernel(d, attempts.back(), *landjail, config);
      return d;
    }
    deny(d, no_jail_message(prediction, attempts));
    return d;
  }
  d.jail = chosen->jail;
  d.grants = std::move(chosen->grants);  // add_fallbacks reads the chosen attempt's rest
  d.user_namespace = std::all_of(sites.begin(), sites.end(),
                                 [](const Site& s) { return s.profile->user_namespace; });
  add_fallbacks(d, *chosen, std::span<const Attempt>(chosen + 1, attempts.end()), input);
  if (chosen->uncertain && d.fallback.empty()) {
    d.warnings.push_back("jailkeeper: no candidate node reports its kernel; " +
                         std::string(jail_name(d.jail)) + " may not start (no fallback allowed)");
  }
  if (landjail != attempts.end()) fargate_old_kernel(d, *chosen, *landjail, config);
  if (!d.denied) pod_security_warnings(d, input);
  if (!d.denied) architecture_warning(d, prediction, config.launcher);
  for (const ContainerGrant& g : d.grants) {
    for (const auto& w : g.warnings)
      add_unique(d.warnings, "jailkeeper: " + g.container + ": " + w);
  }
  return d;
}

}  // namespace jk::policy
