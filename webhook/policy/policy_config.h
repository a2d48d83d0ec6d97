#pragma once
// The decision's configuration: profiles per OS, pools, strategies, allowlist policies. Pure
// values; webhook/config parses them from YAML, the defaults here are the documented defaults.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "launchspec/launch_spec.h"
#include "webhook/policy/node.h"

namespace jk::policy {

using launchspec::JailType;

// How a jail that RuntimeDefault seccomp blocks gets what it needs: by running the container
// seccomp Unconfined, or by adding the capability containerd's profile opens those calls for
// (SYS_ADMIN for nsjail's namespaces, SYS_PTRACE for seccompjail's pidfd_getfd).
enum class SeccompLift { kUnconfined, kCapability };

// What the webhook may grant on one kind of node, and what it knows of those nodes. The grant
// itself is computed per pod from its shape (jail_needs.h, grant.h): the smallest that builds
// the jail there.
struct Profile {
  JailType jail = JailType::kNsjail;
  // Further jails in order of preference: chosen at admission when the pod's shape (or Pod
  // Security, or the nodes' kernel) rules out the earlier ones, and tried by the launcher when
  // the kernel lacks what an earlier one needs.
  std::vector<JailType> fallback;
  bool user_namespace = true;  // nsjail may use a user namespace (where the node has them)
  std::vector<std::string> capabilities;  // added on top of the computed grant (admin's choice)
  bool seccomp_unconfined = false;  // always run jailed containers Unconfined (admin's choice)
  SeccompLift seccomp_lift = SeccompLift::kCapability;
  bool seccomp_default = false;      // the nodes' kubelet has seccompDefault: true
  bool capabilities_allowed = true;  // false: the platform rejects added capabilities (Fargate)
  bool operator==(const Profile&) const = default;
};

enum class BottlerocketGrant { kSeccompUnconfined, kSysAdmin };  // option A / option B

namespace profiles {
inline const std::vector<JailType> kCapabilityFree = {JailType::kLandjail, JailType::kSeccompjail};
}

// The defaults (config key `profiles`). Bottlerocket's lift comes from `bottlerocketGrant`.
struct Profiles {
  Profile amazon_linux{JailType::kNsjail,
                       profiles::kCapabilityFree,
                       true,
                       {},
                       false,
                       SeccompLift::kCapability,
                       false,
                       true};
  Profile bottlerocket{JailType::kNsjail,
                       profiles::kCapabilityFree,
                       true,
                       {},
                       false,
                       SeccompLift::kUnconfined,
                       true,
                       true};
  Profile bottlerocket_no_userns{JailType::kNsjail,
                                 profiles::kCapabilityFree,
                                 false,
                                 {},
                                 false,
                                 SeccompLift::kUnconfined,
                                 true,
                                 true};
  Profile fargate{JailType::kLandjail,
                  {JailType::kSeccompjail},
                  true,
                  {},
                  false,
                  SeccompLift::kUnconfined,
                  false,
                  false};
  Profile other{JailType::kNsjail,
                profiles::kCapabilityFree,
                true,
                {},
                false,
                SeccompLift::kCapability,
                false,
                true};
  // No node known: assume the most restrictive of Amazon Linux and Bottlerocket (RuntimeDefault
  // by default) and lift it as Bottlerocket's option A does.
  Profile unknown{JailType::kNsjail,
                  profiles::kCapabilityFree,
                  true,
                  {},
                  false,
                  SeccompLift::kUnconfined,
                  true,
                  true};
  bool operator==(const Profiles&) const = default;
};

// A node pool named in config: marks matching nodes (e.g. user namespaces off) and, with `os`
// set, stands in as a virtual candidate node so pools with zero nodes still predict an OS.
struct Pool {
  std::string name;
  Labels selector;           // node labels that identify the pool (ANDed)
  std::optional<NodeOs> os;  // static entry: OS of nodes this pool creates
  std::optional<KernelVersion> kernel;
  std::vector<Taint> taints;  // taints its nodes get (for toleration matching)
  bool user_namespaces = true;
  std::optional<bool> seccomp_default;  // kubelet seccompDefault on its nodes (unset: the OS's)
  bool operator==(const Pool&) const = default;
};

enum class MixedStrategy { kUnion, kDeny };
enum class UnknownStrategy { kProfile, kDeny };
enum class OldKernelStrategy { kWarn, kDeny };
enum class PodSecurityStrategy { kDeny, kWarn };

struct Policy {
  std::vector<std::string> allow;  // boundary rule strings, validated at load
  bool operator==(const Policy&) const = default;
};

struct LauncherOptions {
  std::string image = "ghcr.io/jailkeeper/jailkeeper:0.1.0";
  std::string image_pull_policy = "IfNotPresent";
  std::uint16_t proxy_port = 0;  // 0: launcher default (8080 nsjail, random for landjail)
  // The CPU architectures `image` provides (kubernetes.io/arch names; the released image index
  // has both): a pod that may land on a node of another one is admitted with a warning.
  std::vector<std::string> architectures{"amd64", "arm64"};
  bool operator==(const LauncherOptions&) const = default;
};

struct PolicyConfig {
  Profiles profiles;
  std::vector<Pool> pools;
  MixedStrategy mixed = MixedStrategy::kUnion;
  UnknownStrategy unknown = UnknownStrategy::kProfile;
  OldKernelStrategy fargate_old_kernel = OldKernelStrategy::kWarn;
  PodSecurityStrategy pod_security = PodSecurityStrategy::kDeny;
  std::map<std::string, Policy, std::less<>> policies{{"default", Policy{}}};
  LauncherOptions launcher;
  // Namespaces never patched, besides the webhook's own (set from --namespace/POD_NAMESPACE).
  std::vector<std::string> skip_namespaces{"kube-system"};
  // The webhook's own namespace (from --namespace or POD_NAMESPACE; never patched). Runtime.
  std::string webhook_namespace;
  bool operator==(const PolicyConfig&) const = default;
};

}  // namespace jk::policy
