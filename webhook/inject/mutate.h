#pragma once
// The one code path from a Pod to a verdict, a JSON Patch and the status record, shared by
// `serve` (through handler/, which feeds it the live inventory's snapshots) and `inject`.
// Pure: a function of the decoded pod and immutable snapshots; no I/O, no sources.
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "webhook/inject/pod.h"
#include "webhook/policy/decide.h"
#include "webhook/policy/namespace_index.h"
#include "webhook/policy/node_index.h"
#include "webhook/policy/policy_config.h"

namespace jk::inject {

enum class Outcome { kPatched, kUnchanged, kSkipped, kDenied };
std::string_view outcome_name(Outcome outcome);

struct MutationOptions {
  std::string_view namespace_name;  // the review's namespace (pods may omit metadata.namespace)
  std::optional<policy::NodeOs> forced_os;  // inject --node-os: skip prediction
};

// Everything an injection reads besides the pod, fixed for its duration: the configuration,
// the node inventory and the namespace inventory (each a shared_ptr copy of a snapshot).
struct Snapshot {
  std::shared_ptr<const policy::PolicyConfig> config;
  std::shared_ptr<const policy::NodeIndex> nodes;
  // Null: no namespace view (inject, or `serve --nodes` with a file that lists none); the
  // namespace opt-in and Pod Security are then not checked.
  std::shared_ptr<const policy::NamespaceIndex> namespaces;
};

struct MutationResult {
  Outcome outcome = Outcome::kUnchanged;
  std::string skip_reason;  // kSkipped: "hostNetwork", "mirror-pod", "namespace", ...
  // The RFC 6902 JSON Patch as JSON text (compact, what the review answer base64-encodes);
  // "[]" unless kPatched.
  std::string patch = "[]";
  std::vector<std::string> warnings;  // each <= 120 characters
  int deny_code = 0;                  // kDenied: HTTP-ish status code for status.code
  std::string deny_message;           // kDenied: tells the user what to do
  std::map<std::string, std::string> audit_annotations;
  // For the review log line and metrics.
  std::optional<policy::Decision> decision;
  std::vector<std::string> changes;  // human-readable list of what the patch does
};

[[nodiscard]] MutationResult mutate(const Pod& pod, const Snapshot& snapshot,
                                    const MutationOptions& options);
// A pod that could not be decoded (review::decode_pod's error) is denied (400) saying why.
[[nodiscard]] MutationResult mutate(const Result<Pod>& pod, const Snapshot& snapshot,
                                    const MutationOptions& options);

}  // namespace jk::inject
