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

// What a jailed container is granted and which jail it runs.
struct Profile {
  JailType jail = JailType::kNsjail;
  std::vector<JailType> fallback;            // e.g. landjail -> seccompjail
  bool user_namespace = true;                // nsjail only
  std::vector<std::string> capabilities;     // sorted, unique, e.g. {"NET_ADMIN"}
  bool seccomp_unconfined = false;
  bool operator==(const Profile&) const = default;
};

enum class BottlerocketGrant { kSeccompUnconfined, kSysAdmin };  // option A / option B

// Profiles.bottlerocket's default comes from this shorthand (config key `bottlerocketGrant`).
struct Profiles {
  Profile amazon_linux{JailType::kNsjail, {}, true, {"NET_ADMIN"}, false};
  Profile bottlerocket{JailType::kNsjail, {}, true, {"NET_ADMIN"}, true};
  Profile bottlerocket_no_userns{JailType::kNsjail, {}, false, {"NET_ADMIN", "SYS_ADMIN"}, false};
  Profile fargate{JailType::kLandjail, {JailType::kSeccompjail}, true, {}, false};
  Profile other{JailType::kNsjail, {}, true, {"NET_ADMIN"}, false};
  // No node known: works on Amazon Linux and Bottlerocket (option A).
  Profile unknown{JailType::kNsjail, {}, true, {"NET_ADMIN"}, true};
  bool operator==(const Profiles&) const = default;
};

// A node pool named in config: marks matching nodes (e.g. user namespaces off) and, with `os`
// set, stands in as a virtual candidate node so pools with zero nodes still predict an OS.
struct Pool {
  std::string name;
  Labels selector;                  // node labels that identify the pool (ANDed)
  std::optional<NodeOs> os;                // static entry: OS of nodes this pool creates
  std::optional<KernelVersion> kernel;
  std::vector<Taint> taints;        // taints its nodes get (for toleration matching)
  bool user_namespaces = true;
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
