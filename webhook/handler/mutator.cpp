#include "webhook/handler/mutator.h"

#include <algorithm>

#include "common/strings.h"
#include "launchspec/launch_spec.h"
#include "webhook/admission/container_shapes.h"
#include "webhook/admission/pod_facts.h"
#include "webhook/handler/namespace_gate.h"
#include "webhook/handler/pod_annotations.h"
#include "webhook/patch/patch_builder.h"
#include "webhook/policy/predict.h"

namespace jk::handler {
namespace {

constexpr int kCodeBadPod = 400;
constexpr int kCodeForbidden = 403;

MutationResult denied(int code, std::string message) {
  MutationResult r;
  r.outcome = Outcome::kDenied;
  r.deny_code = code;
  r.deny_message = std::move(message);
  r.audit_annotations["outcome"] = "denied";
  return r;
}

MutationResult skipped(std::string reason) {
  MutationResult r;
  r.outcome = Outcome::kSkipped;
  r.audit_annotations["outcome"] = "skipped";
  r.audit_annotations["skip-reason"] = reason;
  r.skip_reason = std::move(reason);
  return r;
}

std::optional<std::string> skip_reason(const admission::PodFacts& facts, std::string_view ns,
                                       const policy::PolicyConfig& config) {
  if (facts.host_network) return "hostNetwork";
  if (facts.mirror) return "mirror-pod";
  if (facts.opted_out) return "opted-out";
  if (!config.webhook_namespace.empty() && ns == config.webhook_namespace) return "webhook-namespace";
  const auto& skip = config.skip_namespaces;
  if (std::find(skip.begin(), skip.end(), ns) != skip.end()) return "skipped-namespace";
  return std::nullopt;
}

launchspec::LaunchSpec make_spec(const policy::Decision& d, const std::string& policy_name,
                                 const policy::Policy& policy, const policy::PolicyConfig& config) {
  launchspec::LaunchSpec spec;
  spec.jail = d.jail;
  spec.fallback = d.fallback;
  spec.user_namespace = d.user_namespace;
  spec.allow = policy.allow;
  spec.proxy_port = config.launcher.proxy_port;
  spec.policy = policy_name;
  return spec;
}

nlohmann::ordered_json status_of(const policy::Decision& d, const std::string& policy_name,
                                 const std::vector<patch::JailedContainer>& containers,
                                 const std::vector<std::string>& unwrapped) {
  nlohmann::ordered_json s;
  s["version"] = 1;
  s["nodeOS"] = d.node_os_label;
  if (d.prediction.targets.size() > 1) {
    auto& t = s["candidateOS"] = nlohmann::ordered_json::array();
    for (const auto target : d.prediction.targets) t.push_back(policy::target_name(target));
  }
  if (d.prediction.min_kernel) s["kernel"] = d.prediction.min_kernel->str();
  s["basis"] = d.prediction.basis;
  s["jail"] = launchspec::jail_name(d.jail);
  if (!d.fallback.empty()) {
    auto& f = s["fallback"] = nlohmann::ordered_json::array();
    for (const auto jail : d.fallback) f.push_back(launchspec::jail_name(jail));
  }
  s["userNamespace"] = d.user_namespace;
  std::vector<std::string> all;
  bool unconfined = false;
  auto& grants = s["grants"] = nlohmann::ordered_json::array();
  for (const auto& g : d.grants) {
    for (const auto& cap : g.add) {
      if (std::find(all.begin(), all.end(), cap) == all.end()) all.push_back(cap);
    }
    unconfined = unconfined || g.seccomp_unconfined;
    nlohmann::ordered_json one{{"container", g.container}, {"add", g.add},
                               {"seccompUnconfined", g.seccomp_unconfined}};
    if (!g.why.empty()) one["why"] = g.why;
    if (!g.notes.empty()) one["notes"] = g.notes;
    if (!g.warnings.empty()) one["warnings"] = g.warnings;
    grants.push_back(std::move(one));
  }
  std::sort(all.begin(), all.end());
  s["capabilities"] = all;  // every container's added capabilities (per container: "grants")
  s["seccompUnconfined"] = unconfined;
  s["policy"] = policy_name;
  auto& names = s["containers"] = nlohmann::ordered_json::array();
  for (const auto& c : containers) names.push_back(c.name);
  if (!unwrapped.empty()) s["unwrapped"] = unwrapped;
  return s;
}

}  // namespace

std::string_view outcome_name(Outcome outcome) {
  switch (outcome) {
    case Outcome::kPatched: return "patched";
    case Outcome::kUnchanged: return "unchanged";
    case Outcome::kSkipped: return "skipped";
    case Outcome::kDenied: return "denied";
  }
  return "unchanged";
}

Mutator::Mutator(std::shared_ptr<const policy::PolicyConfig> config,
                 std::shared_ptr<const nodes::NodeSource> nodes,
                 std::shared_ptr<const nodes::NamespaceSource> namespaces)
    : config_(std::move(config)), nodes_(std::move(nodes)), namespaces_(std::move(namespaces)) {}

MutationResult Mutator::mutate(const nlohmann::json& pod, const MutationOptions& options) const {
  const policy::PolicyConfig& config = *config_;
  auto facts = admission::decode_pod_facts(pod);
  if (!facts.ok()) return denied(kCodeBadPod, "jailkeeper: cannot read the pod: " + facts.error().message);
  const std::string ns(options.namespace_name.empty() ? std::string_view(facts->namespace_name)
                                                      : options.namespace_name);
  if (auto reason = skip_reason(*facts, ns, config)) return skipped(std::move(*reason));
  NamespaceCheck ns_check = check_namespace(ns);
  if (ns_check.gate.skip) {
    MutationResult r = skipped(std::string(kSkipNotOptedIn));
    r.warnings = std::move(ns_check.gate.warnings);
    return r;
  }

  auto choice = read_pod_annotations(pod, config);
  if (!choice.ok()) return denied(kCodeBadPod, "jailkeeper: " + choice.error().message);
  if (choice->containers.empty()) return skipped("no-containers");
  auto shapes = admission::decode_container_shapes(pod);
  if (!shapes.ok()) return denied(kCodeBadPod, "jailkeeper: cannot read the pod: " + shapes.error().message);
  policy::DecisionInput input;
  for (const auto& c : choice->containers) input.containers.push_back((*shapes)[c.index]);

  policy::Decision decision = decide_for(facts->scheduling, options, ns, ns_check, std::move(input));
  MutationResult r;
  r.audit_annotations["node-os"] = decision.node_os_label;
  if (decision.denied) {
    r = denied(kCodeForbidden, decision.deny_message);
    r.audit_annotations["node-os"] = decision.node_os_label;
    r.decision = std::move(decision);
    return r;
  }
  const policy::Policy& policy = config.policies.find(choice->policy)->second;
  const std::string spec_json =
      launchspec::to_json(make_spec(decision, choice->policy, policy, config));
  patch::PatchRequest req{choice->containers, decision.grants, &config.launcher, spec_json};
  patch::PatchResult built = patch::build_patch(pod, req);
  patch::add_status(pod, status_of(decision, choice->policy, choice->containers, built.unwrapped), built);

  r.outcome = built.ops.empty() ? Outcome::kUnchanged : Outcome::kPatched;
  r.patch = built.ops.take();
  r.changes = std::move(built.changes);
  r.warnings = std::move(decision.warnings);
  r.warnings.insert(r.warnings.end(), built.warnings.begin(), built.warnings.end());
  r.audit_annotations["jail"] = launchspec::jail_name(decision.jail);
  r.audit_annotations["policy"] = choice->policy;
  r.audit_annotations["outcome"] = outcome_name(r.outcome);
  if (!r.changes.empty()) r.audit_annotations["changes"] = join(r.changes, "; ");
  r.decision = std::move(decision);
  return r;
}

Mutator::NamespaceCheck Mutator::check_namespace(std::string_view ns) const {
  NamespaceCheck check;
  if (!namespaces_) return check;  // no namespace view: no checks (inject, or a file without)
  check.index = namespaces_->snapshot();
  check.labels = check.index->labels(ns);
  check.gate = gate_namespace(ns, check.labels);
  return check;
}

policy::Decision Mutator::decide_for(const policy::PodScheduling& scheduling,
                                     const MutationOptions& options, std::string_view ns,
                                     const NamespaceCheck& ns_check,
                                     policy::DecisionInput input) const {
  const policy::PolicyConfig& config = *config_;
  const auto snapshot = nodes_->snapshot();
  const policy::Prediction prediction =
      options.forced_os ? policy::forced(*options.forced_os, *snapshot, config)
                        : policy::predict(scheduling, *snapshot, config);
  if (ns_check.gate.check_pod_security) {
    input.pod_security = policy::PodSecurityContext{std::string(ns), *ns_check.labels,
                                                    config.pod_security};
  }
  policy::Decision decision = policy::decide(prediction, config, input);
  const auto& early = ns_check.gate.warnings;
  decision.warnings.insert(decision.warnings.begin(), early.begin(), early.end());
  return decision;
}

}  // namespace jk::handler
