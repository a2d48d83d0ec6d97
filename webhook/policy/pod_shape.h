#pragma once
// The security shape of one container as the container runtime will run it: who it runs as,
// which capabilities it holds, which seccomp profile is in force. Decoded from the Pod by
// webhook/admission (container fields override the pod's), evaluated here. Pure.
//
// The rules follow what kubelet and containerd's CRI do (containerd pkg/cri/server/
// container_create_linux.go, pkg/cri/opts/spec_linux.go; kubelet's seccomp defaulting):
// capabilities start from containerd's default set, `add: [ALL]` / `drop: [ALL]` apply first,
// then the individual adds, then the individual drops (so a drop beats an add); a privileged
// container holds every capability and runs seccomp unconfined; without a profile the node's
// kubelet `seccompDefault` decides (RuntimeDefault) or the container runs unconfined.
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace jk::policy {

enum class SeccompKind { kUnset, kUnconfined, kRuntimeDefault, kLocalhost };
std::string_view seccomp_name(SeccompKind kind);  // "unset", "Unconfined", ...

struct ContainerShape {
  std::string name;
  std::optional<std::int64_t> run_as_user;  // container, else pod; nullopt: the image decides
  bool run_as_non_root = false;             // container, else pod
  std::vector<std::string> add;   // capabilities.add, upper case without CAP_ ("ALL" kept)
  std::vector<std::string> drop;  // capabilities.drop, likewise
  std::optional<bool> allow_privilege_escalation;
  bool privileged = false;
  SeccompKind seccomp = SeccompKind::kUnset;  // container, else pod
  bool operator==(const ContainerShape&) const = default;
};

using CapabilitySet = std::set<std::string, std::less<>>;

// containerd's default capability set (without CAP_ prefixes).
const CapabilitySet& runtime_default_capabilities();
// "NET_ADMIN" for "cap_net_admin", "CAP_NET_ADMIN", "net_admin"; "ALL" stays "ALL".
std::string normalize_capability(std::string_view name);

// The capability list the runtime gives the container (its bounding set; also effective and
// permitted when it runs as root).
CapabilitySet capabilities_of(const ContainerShape& shape);
// capabilities_of(shape).contains(capability), without building the set (the decision asks
// this per need and per candidate site on every review).
bool holds_capability(const ContainerShape& shape, std::string_view capability);
// The profile the runtime applies (never kUnset).
SeccompKind seccomp_in_force(const ContainerShape& shape, bool node_seccomp_default);

// Root or not: an unknown user (no runAsUser, no runAsNonRoot) may be either.
bool may_run_as_root(const ContainerShape& shape);
bool may_run_as_non_root(const ContainerShape& shape);
// Listed by name in capabilities.drop (not through ALL).
bool drops_explicitly(const ContainerShape& shape, std::string_view capability);

}  // namespace jk::policy
