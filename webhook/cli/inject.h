#pragma once
// `jailkeeper-webhook inject`: offline injection, like `istioctl kube-inject`. Reads manifests,
// runs every pod template through the same inject::mutate the server uses, writes the documents
// back in the same order, and reports what happened per object on the error stream.
#include <iosfwd>
#include <optional>
#include <string>

#include "webhook/inject/mutate.h"
#include "webhook/policy/node.h"

namespace jk::cli {

inline constexpr std::string_view kOutputYaml = "yaml";
inline constexpr std::string_view kOutputJson = "json";

// Exit codes of run_inject.
inline constexpr int kInjectOk = 0;
inline constexpr int kInjectDenied = 1;      // every document printed, denied ones unchanged
inline constexpr int kInjectInputError = 2;  // nothing printed on `out`

struct InjectOptions {
  std::string input = "-";                  // file name, "-" for stdin (for messages only)
  std::string output{kOutputYaml};          // kOutputYaml or kOutputJson
  std::string namespace_name;               // for objects that name none; "" means "default"
  std::optional<policy::NodeOs> forced_os;  // --node-os: skip prediction
};

// Reads all of `in`, writes the mutated documents to `out` (YAML separated by `---`; JSON: the
// object, or a v1 List when there are several) and one report line per object to `err`:
//   Deployment/agent (namespace dev): patched nsjail on bottlerocket: added NET_ADMIN, ...
//   Service/web (namespace dev): skipped: kind Service has no pod template
// followed by "  warning: ..." lines. Returns kInjectOk, kInjectDenied or kInjectInputError.
// `snapshot`: the configuration and the node inventory (--nodes); no namespace view.
int run_inject(const InjectOptions& opts, std::istream& in, std::ostream& out, std::ostream& err,
               const inject::Snapshot& snapshot);

}  // namespace jk::cli
