#pragma once
// What the launcher needs from a container to build one jail on one kind of node: the facts of
// the launcher's code (launcher/jail/) against the container runtime's rules (pod_shape.h) and
// containerd's RuntimeDefault seccomp profile. Pure; the grant is chosen from it (grant.h) and
// audit checks admitted pods with it. Proven by the pod-shape matrix under containerd + runc
// (tests/integration/test_pod_shapes.py).
//
// nsjail with a user namespace: clone(NEWUSER|NEWNET|NEWNS|NEWPID) and mount. No capability:
//   the jail's network is configured inside its own user namespace. RuntimeDefault allows
//   those calls only with CAP_SYS_ADMIN in the container's list. A root container maps uid 0
//   into the namespace, which needs CAP_SETFCAP (Linux >= 5.12); without it the agent runs
//   unmapped (sees uid 65534) — a soft need.
// nsjail without a user namespace (user namespaces off on the node): CAP_SYS_ADMIN and
//   CAP_NET_ADMIN in the launcher's effective set: only a root container has any (Kubernetes
//   gives no ambient capabilities).
// landjail: Landlock ABI >= 4 (Linux >= 6.7); RuntimeDefault allows the landlock calls.
// seccompjail: seccomp user notification with ADDFD (Linux >= 5.9) and pidfd_getfd on the agent,
//   which RuntimeDefault allows only with CAP_SYS_PTRACE in the container's list.
// A Localhost seccomp profile cannot be read at admission: noted, not judged.
#include <optional>
#include <string>
#include <vector>

#include "launchspec/launch_spec.h"
#include "webhook/policy/node.h"
#include "webhook/policy/pod_shape.h"

namespace jk::policy {

inline constexpr KernelVersion kLandlockAbi4Kernel{6, 7, 0};
inline constexpr KernelVersion kSeccompAddfdKernel{5, 9, 0};

// The nodes a pod may land on, as far as the jail cares (the most restrictive candidate wins).
struct NodeEnv {
  bool user_namespaces = true;       // false: EKS Auto Mode, or a pool with userNamespaces: false
  bool seccomp_default = false;      // kubelet seccompDefault: RuntimeDefault for unset profiles
  bool capabilities_allowed = true;  // false: EKS Fargate rejects pods that add capabilities
  std::optional<KernelVersion> newest_kernel;  // newest reported by a candidate
  bool kernel_unknown = true;  // some candidate reports no kernel (or none is known)
};

struct CapabilityNeed {
  std::string capability;  // Kubernetes name, e.g. "SYS_ADMIN"
  std::string why;
  bool soft = false;  // the jail starts without it, in a lesser way (see note)
};

struct JailNeed {
  launchspec::JailType jail = launchspec::JailType::kNsjail;
  std::string impossible;                    // non-empty: no grant makes this jail start; why
  std::vector<CapabilityNeed> capabilities;  // must be in the container's capability list
  // The seccomp profile in force blocks calls the jail makes: lifted by seccomp Unconfined or
  // by `seccomp_gate` (the capability containerd's profile opens them for) in the list.
  std::optional<std::string> seccomp_gate;
  std::string seccomp_why;
  bool kernel_uncertain = false;  // needs a kernel feature no known candidate proves
  std::vector<std::string> notes;
  // What the webhook cannot judge and the user must know at admission (short, one line each):
  // a Localhost seccomp profile, an unknown user where only root can build the jail.
  std::vector<std::string> warnings;
};

// `user_namespace`: the profile allows nsjail to use one (launch spec user_namespace).
JailNeed need_for(launchspec::JailType jail, bool user_namespace, const ContainerShape& shape,
                  const NodeEnv& env);

// Whether `shape` (as it is, e.g. an admitted pod) satisfies `need`; the reasons it does not.
std::vector<std::string> unmet(const JailNeed& need, const ContainerShape& shape,
                               const NodeEnv& env);

}  // namespace jk::policy
