#pragma once
// The verdict for one pod: OK, UNPATCHED, DRIFT, TAMPERED or SKIPPED, with the reason. Pure:
// a function of the pod, its node (if known) and its namespace's standing.
#include <optional>
#include <string>
#include <string_view>

#include "webhook/audit/pod_view.h"
#include "webhook/policy/node.h"
#include "webhook/policy/policy_config.h"

namespace jk::audit {

enum class Verdict { kOk, kUnpatched, kDrift, kTampered, kSkipped };
inline constexpr std::size_t kVerdictCount = 5;
std::string_view verdict_name(Verdict verdict);

inline constexpr std::string_view kPendingNode = "pending";

struct PodContext {
  const policy::Node* node = nullptr;  // the pod's node; null while pending or when it is gone
  // Profiles and pools (what the nodes give a jail); null: the built-in defaults.
  const policy::PolicyConfig* config = nullptr;
  bool namespace_opted_in = true;             // label jailkeeper.io/inject=enabled on the namespace
  std::optional<std::string> namespace_skip;  // "skipped-namespace", "webhook-namespace"
};

struct AuditRow {
  std::string namespace_name;
  std::string pod;
  std::string node;         // kPendingNode while unscheduled
  std::string node_os;      // actual OS now; "" pending, "?" node not found
  std::string kernel;       // actual kernel now: major.minor.patch, else as the node reports it
  std::string arch;         // the node's architecture (kubernetes.io/arch), "" unknown
  std::string recorded_os;  // from jailkeeper.io/status
  std::string jail;         // from jailkeeper.io/status
  Verdict verdict = Verdict::kOk;
  std::string reason;
};

AuditRow evaluate(const PodView& pod, const PodContext& context);

}  // namespace jk::audit
