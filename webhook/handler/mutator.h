#pragma once
// The one code path from a Pod to a verdict + JSON Patch, shared by `serve` (via the review
// handler) and `inject` (offline). Pure apart from reading the node snapshot.
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "webhook/handler/namespace_gate.h"
#include "webhook/nodes/inventory.h"
#include "webhook/nodes/namespace_source.h"
#include "webhook/policy/decide.h"
#include "webhook/policy/policy_config.h"

namespace jk::handler {

enum class Outcome { kPatched, kUnchanged, kSkipped, kDenied };
std::string_view outcome_name(Outcome outcome);

struct MutationOptions {
  std::string_view namespace_name;      // the review's namespace (pods may omit metadata.namespace)
  std::optional<policy::NodeOs> forced_os;  // inject --node-os: skip prediction
};

struct MutationResult {
  Outcome outcome = Outcome::kUnchanged;
  std::string skip_reason;            // kSkipped: "hostNetwork", "mirror-pod", "namespace", ...
  nlohmann::json patch = nlohmann::json::array();  // RFC 6902 ops; empty unless kPatched
  std::vector<std::string> warnings;  // each <= 120 characters
  int deny_code = 0;                  // kDenied: HTTP-ish status code for status.code
  std::string deny_message;           // kDenied: tells the user what to do
  std::map<std::string, std::string> audit_annotations;
  // For the review log line and metrics.
  std::optional<policy::Decision> decision;
  std::vector<std::string> changes;   // human-readable list of what the patch does
};

class Mutator {
 public:
  // Without a namespace source (inject, or `serve --nodes` with a file that lists none) the
  // namespace opt-in and Pod Security are not checked.
  Mutator(std::shared_ptr<const policy::PolicyConfig> config,
          std::shared_ptr<const nodes::NodeSource> nodes,
          std::shared_ptr<const nodes::NamespaceSource> namespaces = nullptr);
  [[nodiscard]] MutationResult mutate(const nlohmann::json& pod,
                                      const MutationOptions& options) const;

 private:
  struct NamespaceCheck {
    std::shared_ptr<const nodes::NamespaceIndex> index;  // keeps `labels` alive
    const policy::Labels* labels = nullptr;               // null: unknown or no view
    NamespaceGate gate;
  };
  [[nodiscard]] NamespaceCheck check_namespace(std::string_view ns) const;
  // predict (or --node-os) + decide + Pod Security for the granted profile.
  [[nodiscard]] policy::Decision decide_for(const policy::PodScheduling& scheduling,
                                            const MutationOptions& options, std::string_view ns,
                                            const NamespaceCheck& ns_check,
                                            policy::DecisionInput input) const;

  std::shared_ptr<const policy::PolicyConfig> config_;
  std::shared_ptr<const nodes::NodeSource> nodes_;
  std::shared_ptr<const nodes::NamespaceSource> namespaces_;
};

}  // namespace jk::handler
