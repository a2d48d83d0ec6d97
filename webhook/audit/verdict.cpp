#include "webhook/audit/verdict.h"

#include "common/strings.h"
#include "webhook/audit/drift.h"
#include "webhook/audit/status_record.h"
#include "webhook/audit/tamper.h"

namespace jk::audit {
namespace {

constexpr std::string_view kNodeNotFound = "?";

AuditRow base_row(const PodView& pod, const PodContext& ctx) {
  AuditRow row;
  row.namespace_name = pod.namespace_name;
  row.pod = pod.name;
  row.node = pod.node_name.empty() ? std::string(kPendingNode) : pod.node_name;
  if (ctx.node != nullptr) {
    row.node_os = policy::os_name(ctx.node->os);
    row.kernel = ctx.node->kernel ? ctx.node->kernel->str() : ctx.node->kernel_version;
    row.arch = ctx.node->arch;
  } else if (!pod.node_name.empty()) {
    row.node_os = kNodeNotFound;
  }
  return row;
}

AuditRow finish(AuditRow row, Verdict verdict, const std::vector<std::string>& reasons) {
  row.verdict = verdict;
  row.reason = join(reasons, "; ");
  return row;
}

// The injection's skip rules (webhook/inject/mutate.cpp), in its order, plus the namespace.
std::optional<std::string> skip_reason(const PodView& pod, const PodContext& ctx) {
  if (pod.host_network) return "hostNetwork";
  if (pod.mirror) return "mirror-pod";
  if (pod.opted_out) return "opted-out (pod label jailkeeper.io/inject=disabled)";
  if (ctx.namespace_skip) return ctx.namespace_skip;
  if (!ctx.namespace_opted_in)
    return "namespace-not-opted-in (no label jailkeeper.io/inject=enabled)";
  if (pod.containers.empty()) return "no-containers";
  return std::nullopt;
}

AuditRow unrecorded(const PodView& pod, const PodContext& ctx, AuditRow row) {
  if (auto reason = skip_reason(pod, ctx))
    return finish(std::move(row), Verdict::kSkipped, {*reason});
  return finish(
      std::move(row), Verdict::kUnpatched,
      {"no jailkeeper.io/status annotation (created while the webhook was unavailable?)"});
}

std::vector<std::string> context_notes(const PodView& pod, const PodContext& ctx) {
  if (pod.node_name.empty()) return {"pending: checked against the status only"};
  if (ctx.node == nullptr)
    return {"node " + pod.node_name + " not found: checked against the status only"};
  return {};
}

}  // namespace

std::string_view verdict_name(Verdict verdict) {
  switch (verdict) {
    case Verdict::kOk:
      return "OK";
    case Verdict::kUnpatched:
      return "UNPATCHED";
    case Verdict::kDrift:
      return "DRIFT";
    case Verdict::kTampered:
      return "TAMPERED";
    case Verdict::kSkipped:
      return "SKIPPED";
  }
  return "OK";
}

AuditRow evaluate(const PodView& pod, const PodContext& ctx) {
  AuditRow row = base_row(pod, ctx);
  if (!pod.status) return unrecorded(pod, ctx, std::move(row));
  const auto record = decode_status(*pod.status);
  if (!record.ok()) {
    return finish(std::move(row), Verdict::kTampered,
                  {"jailkeeper.io/status unreadable: " + record.error().message});
  }
  row.recorded_os = record->node_os;
  row.jail = record->jail;
  const auto tampered = tamper_findings(pod, *record);
  if (!tampered.empty()) return finish(std::move(row), Verdict::kTampered, tampered);
  static const policy::PolicyConfig kDefaults;
  DriftCheck drift =
      check_drift(*record, pod, ctx.node, ctx.config != nullptr ? *ctx.config : kDefaults);
  std::vector<std::string> notes = context_notes(pod, ctx);
  if (!drift.findings.empty()) {
    drift.findings.insert(drift.findings.end(), notes.begin(), notes.end());
    return finish(std::move(row), Verdict::kDrift, drift.findings);
  }
  drift.notes.insert(drift.notes.end(), notes.begin(), notes.end());
  for (const auto& name : record->unwrapped) {  // the webhook warned at admission; say it again
    drift.notes.push_back(name +
                          " runs unjailed: no command to wrap (set jailkeeper.io/entrypoint)");
  }
  return finish(std::move(row), Verdict::kOk, drift.notes);
}

}  // namespace jk::audit
