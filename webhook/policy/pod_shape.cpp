#include "webhook/policy/pod_shape.h"

#include <algorithm>
#include <cctype>

namespace jk::policy {
namespace {

constexpr std::string_view kAll = "ALL";

// Every capability Linux knows (capability.h up to CAP_CHECKPOINT_RESTORE).
const CapabilitySet& all_capabilities() {
  static const CapabilitySet all = {"CHOWN",
                                    "DAC_OVERRIDE",
                                    "DAC_READ_SEARCH",
                                    "FOWNER",
                                    "FSETID",
                                    "KILL",
                                    "SETGID",
                                    "SETUID",
                                    "SETPCAP",
                                    "LINUX_IMMUTABLE",
                                    "NET_BIND_SERVICE",
                                    "NET_BROADCAST",
                                    "NET_ADMIN",
                                    "NET_RAW",
                                    "IPC_LOCK",
                                    "IPC_OWNER",
                                    "SYS_MODULE",
                                    "SYS_RAWIO",
                                    "SYS_CHROOT",
                                    "SYS_PTRACE",
                                    "SYS_PACCT",
                                    "SYS_ADMIN",
                                    "SYS_BOOT",
                                    "SYS_NICE",
                                    "SYS_RESOURCE",
                                    "SYS_TIME",
                                    "SYS_TTY_CONFIG",
                                    "MKNOD",
                                    "LEASE",
                                    "AUDIT_WRITE",
                                    "AUDIT_CONTROL",
                                    "SETFCAP",
                                    "MAC_OVERRIDE",
                                    "MAC_ADMIN",
                                    "SYSLOG",
                                    "WAKE_ALARM",
                                    "BLOCK_SUSPEND",
                                    "AUDIT_READ",
                                    "PERFMON",
                                    "BPF",
                                    "CHECKPOINT_RESTORE"};
  return all;
}

bool has(const std::vector<std::string>& list, std::string_view cap) {
  return std::find(list.begin(), list.end(), cap) != list.end();
}

}  // namespace

std::string_view seccomp_name(SeccompKind kind) {
  switch (kind) {
    case SeccompKind::kUnset:
      return "unset";
    case SeccompKind::kUnconfined:
      return "Unconfined";
    case SeccompKind::kRuntimeDefault:
      return "RuntimeDefault";
    case SeccompKind::kLocalhost:
      return "Localhost";
  }
  return "unset";
}

const CapabilitySet& runtime_default_capabilities() {
  // containerd oci.defaultUnixCaps (the same set Docker and CRI-O start from).
  static const CapabilitySet defaults = {
      "CHOWN",   "DAC_OVERRIDE", "FSETID",           "FOWNER",
      "MKNOD",   "NET_RAW",      "SETGID",           "SETUID",
      "SETFCAP", "SETPCAP",      "NET_BIND_SERVICE", "SYS_CHROOT",
      "KILL",    "AUDIT_WRITE"};
  return defaults;
}

std::string normalize_capability(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  for (const char c : name)
    out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  if (out.rfind("CAP_", 0) == 0) out.erase(0, 4);
  return out;
}

CapabilitySet capabilities_of(const ContainerShape& shape) {
  if (shape.privileged) return all_capabilities();
  CapabilitySet caps = runtime_default_capabilities();
  if (has(shape.add, kAll)) caps = all_capabilities();
  if (has(shape.drop, kAll)) caps.clear();
  for (const auto& c : shape.add) {
    if (c != kAll) caps.insert(c);
  }
  for (const auto& c : shape.drop) caps.erase(c);
  return caps;
}

bool holds_capability(const ContainerShape& shape, std::string_view capability) {
  // capabilities_of's steps read backwards: the last step that mentions the capability decides.
  if (shape.privileged) return all_capabilities().contains(capability);
  if (has(shape.drop, capability)) return false;
  if (capability != kAll && has(shape.add, capability)) return true;
  if (has(shape.drop, kAll)) return false;
  if (has(shape.add, kAll)) return all_capabilities().contains(capability);
  return runtime_default_capabilities().contains(capability);
}

SeccompKind seccomp_in_force(const ContainerShape& shape, bool node_seccomp_default) {
  if (shape.privileged) return SeccompKind::kUnconfined;
  if (shape.seccomp != SeccompKind::kUnset) return shape.seccomp;
  return node_seccomp_default ? SeccompKind::kRuntimeDefault : SeccompKind::kUnconfined;
}

bool may_run_as_root(const ContainerShape& shape) {
  if (shape.run_as_user) return *shape.run_as_user == 0;
  return !shape.run_as_non_root;
}

bool may_run_as_non_root(const ContainerShape& shape) {
  return !shape.run_as_user || *shape.run_as_user != 0;
}

bool drops_explicitly(const ContainerShape& shape, std::string_view capability) {
  return has(shape.drop, capability);
}

}  // namespace jk::policy
