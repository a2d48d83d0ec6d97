#pragma once
// The namespace-aware part of a review, from the namespace inventory. Pure.
//  - Defence in depth: the webhook configuration's namespaceSelector is the first filter; a
//    review for a namespace the inventory knows without `jailkeeper.io/inject=enabled` is
//    skipped here too (allowed, unchanged, with a warning).
//  - A namespace the inventory does not know (yet: created a moment ago, or the watch is
//    behind) proceeds as if opted in, since the API server's selector already let it through,
//    with a warning that the opt-in and Pod Security were not checked.
//  - Pod Security: see policy/pod_security.h.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "webhook/policy/node.h"
#include "webhook/policy/pod_security.h"

namespace jk::inject {

inline constexpr std::string_view kInjectLabel = "jailkeeper.io/inject";
inline constexpr std::string_view kInjectEnabled = "enabled";
inline constexpr std::string_view kSkipNotOptedIn = "namespace-not-opted-in";

struct NamespaceGate {
  bool skip = false;                // not opted in
  bool check_pod_security = false;  // labels known
  std::vector<std::string> warnings;
};

// `labels` is null when the inventory does not know the namespace.
NamespaceGate gate_namespace(std::string_view namespace_name, const policy::Labels* labels);

}  // namespace jk::inject
