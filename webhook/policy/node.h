#pragma once
// What the webhook keeps of a Node: only the fields OS prediction needs.
#include <compare>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace jk::policy {

// Named as for `inject --node-os` and the `nodeOS` field of jailkeeper.io/status.
enum class NodeOs { kAmazonLinux, kBottlerocket, kFargate, kOther };
std::string_view os_name(NodeOs os);
std::optional<NodeOs> parse_os(std::string_view name);

struct KernelVersion {
  int major = 0;
  int minor = 0;
  int patch = 0;
  auto operator<=>(const KernelVersion&) const = default;
  [[nodiscard]] std::string str() const;
};
// "6.1.159-181.297.amzn2023.x86_64" -> 6.1.159; "6.12" -> 6.12.0; garbage -> nullopt.
std::optional<KernelVersion> parse_kernel(std::string_view s);

struct Taint {
  std::string key;
  std::string value;
  std::string effect;  // NoSchedule | PreferNoSchedule | NoExecute
  bool operator==(const Taint&) const = default;
};

using Labels = std::map<std::string, std::string, std::less<>>;

struct Node {
  std::string name;
  Labels labels;
  std::vector<Taint> taints;
  std::string os_image;
  std::string kernel_version;
  // Derived at decode time.
  std::string arch;  // "amd64", "arm64", ... (Go's GOARCH names); "" unknown
  NodeOs os = NodeOs::kOther;
  bool user_namespaces_off = false;  // EKS Auto Mode (Bottlerocket variant), or a pool entry
  std::optional<KernelVersion> kernel;
  bool is_static_pool = false;  // a config pool entry standing in for nodes not yet created
  bool operator==(const Node&) const = default;
};

inline constexpr std::string_view kComputeTypeLabel = "eks.amazonaws.com/compute-type";
// Set by kubelet on every node; the scheduler's name for a node's CPU architecture.
inline constexpr std::string_view kArchLabel = "kubernetes.io/arch";

// OS from the compute-type label first (fargate, auto), then osImage. Never guesses: anything
// not recognisably Amazon Linux or Bottlerocket is kOther.
NodeOs classify_os(const Labels& labels, std::string_view os_image);
// The node's architecture: its kubernetes.io/arch label (what the scheduler matches), else
// status.nodeInfo.architecture; "" when neither says.
std::string node_arch(const Labels& labels, std::string_view node_info_architecture);
// EKS Auto Mode nodes run Bottlerocket with user namespaces disabled.
bool auto_mode(const Labels& labels, std::string_view os_image);

}  // namespace jk::policy
