#include "webhook/inject/mutate.h"

#include <algorithm>

#include "common/buffer_pool.h"
#include "common/strings.h"
#include "launchspec/launch_spec.h"
#include "webhook/inject/namespace_gate.h"
#include "webhook/inject/patch_builder.h"
#include "webhook/inject/pod_annotations.h"
#include "webhook/inject/status.h"
#include "webhook/policy/predict.h"

namespace jk::inject {
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

std::optional<std::string> skip_reason(const PodFacts& facts, std::string_view ns,
                                       const policy::PolicyConfig& config) {
  if (facts.host_network) return "hostNetwork";
  if (facts.mirror) return "mirror-pod";
  if (facts.opted_out) return "opted-out";
  if (!config.webhook_namespace.empty() && ns == config.webhook_namespace)
    return "webhook-namespace";
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

struct NamespaceCheck {
  const policy::Labels* labels = nullptr;  // null: unknown or no view
  NamespaceGate gate;
};

NamespaceCheck check_namespace(const Snapshot& snapshot, std::string_view ns) {
  NamespaceCheck check;
  if (!snapshot.namespaces)
    return check;  // no namespace view: no checks (inject, or a file without)
  check.labels = snapshot.namespaces->labels(ns);
  check.gate = gate_namespace(ns, check.labels);
  return check;
}

// predict (or --node-os) + decide + Pod Security for the granted profile.
policy::Decision decide_for(const policy::PodScheduling& scheduling, const Snapshot& snapshot,
                            const MutationOptions& options, std::string_view ns,
                            const NamespaceCheck& ns_check, policy::DecisionInput input) {
  const policy::PolicyConfig& config = *snapshot.config;
  policy::Prediction prediction = options.forced_os
                                      ? policy::forced(*options.forced_os, *snapshot.nodes, config)
                                      : policy::predict(scheduling, *snapshot.nodes, config);
  if (ns_check.gate.check_pod_security) {
    input.pod_security =
        policy::PodSecurityContext{std::string(ns), *ns_check.labels, config.pod_security};
  }
  policy::Decision decision = policy::decide(std::move(prediction), config, input);
  const auto& early = ns_check.gate.warnings;
  decision.warnings.insert(decision.warnings.begin(), early.begin(), early.end());
  return decision;
}

}  // namespace

std::string_view outcome_name(Outcome outcome) {
  switch (outcome) {
    case Outcome::kPatched:
      return "patched";
    case Outcome::kUnchanged:
      return "unchanged";
    case Outcome::kSkipped:
      return "skipped";
    case Outcome::kDenied:
      return "denied";
  }
  return "unchanged";
}

MutationResult mutate(const Result<Pod>& pod, const Snapshot& snapshot,
                      const MutationOptions& options) {
  if (!pod.ok()) {
    return denied(kCodeBadPod, "jailkeeper: cannot read the pod: " + pod.error().message);
  }
  return mutate(*pod, snapshot, options);
}

MutationResult mutate(const Pod& pod, const Snapshot& snapshot, const MutationOptions& options) {
  const policy::PolicyConfig& config = *snapshot.config;
  const PodFacts& facts = pod.facts;
  const std::string ns(options.namespace_name.empty() ? std::string_view(facts.namespace_name)
                                                      : options.namespace_name);
  if (auto reason = skip_reason(facts, ns, config)) return skipped(std::move(*reason));
  NamespaceCheck ns_check = check_namespace(snapshot, ns);
  if (ns_check.gate.skip) {
    MutationResult r = skipped(std::string(kSkipNotOptedIn));
    r.warnings = std::move(ns_check.gate.warnings);
    return r;
  }

  auto choice = read_pod_annotations(pod, config);
  if (!choice.ok()) return denied(kCodeBadPod, "jailkeeper: " + choice.error().message);
  if (choice->containers.empty()) return skipped("no-containers");
  if (!pod.shapes.ok()) {
    return denied(kCodeBadPod, "jailkeeper: cannot read the pod: " + pod.shapes.error().message);
  }
  policy::DecisionInput input;
  for (const auto& c : choice->containers) input.containers.push_back((*pod.shapes)[c.index]);

  policy::Decision decision =
      decide_for(facts.scheduling, snapshot, options, ns, ns_check, std::move(input));
  MutationResult r;
  r.audit_annotations["node-os"] = decision.node_os_label;
  if (decision.denied) {
    r = denied(kCodeForbidden, decision.deny_message);
    r.audit_annotations["node-os"] = decision.node_os_label;
    r.decision = std::move(decision);
    return r;
  }
  const policy::Policy& policy = config.policies.find(choice->policy)->second;
  // The launch spec's and the status record's JSON are written into reused buffers (the patch
  // carries them as escaped strings) and given back when the patch holds them.
  std::string spec_json = take_buffer();
  launchspec::append_json(make_spec(decision, choice->policy, policy, config), spec_json);
  PatchRequest req{choice->containers, decision.grants, &config.launcher, spec_json};
  PatchResult built = build_patch(pod, req);
  give_buffer(std::move(spec_json));
  if (const auto earlier = earlier_changes(pod, built)) {
    std::string record = take_buffer();
    append_status_record(decision, choice->policy, choice->containers, built.unwrapped, *earlier,
                         built.changes, record);
    set_status(pod, record, built);
    give_buffer(std::move(record));
  }

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

}  // namespace jk::inject
