#include "webhook/policy/node.h"

#include <charconv>

namespace jk::policy {

std::string_view os_name(NodeOs os) {
  switch (os) {
    case NodeOs::kAmazonLinux:
      return "amazon-linux";
    case NodeOs::kBottlerocket:
      return "bottlerocket";
    case NodeOs::kFargate:
      return "fargate";
    case NodeOs::kOther:
      return "other";
  }
  return "other";
}

std::optional<NodeOs> parse_os(std::string_view name) {
  if (name == "amazon-linux") return NodeOs::kAmazonLinux;
  if (name == "bottlerocket") return NodeOs::kBottlerocket;
  if (name == "fargate") return NodeOs::kFargate;
  if (name == "other") return NodeOs::kOther;
  return std::nullopt;
}

std::string KernelVersion::str() const {
  return std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(patch);
}

namespace {

// Reads a decimal number at s[pos...]; advances pos. Returns false when there is no digit.
bool read_number(std::string_view s, std::size_t& pos, int& out) {
  const char* begin = s.data() + pos;
  const char* end = s.data() + s.size();
  const auto [ptr, ec] = std::from_chars(begin, end, out);
  if (ec != std::errc() || ptr == begin) return false;
  pos += static_cast<std::size_t>(ptr - begin);
  return true;
}

bool has_prefix(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

}  // namespace

std::optional<KernelVersion> parse_kernel(std::string_view s) {
  KernelVersion v;
  std::size_t pos = 0;
  if (!read_number(s, pos, v.major) || pos >= s.size() || s[pos] != '.') return std::nullopt;
  ++pos;
  if (!read_number(s, pos, v.minor)) return std::nullopt;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    if (!read_number(s, pos, v.patch)) return std::nullopt;
  }
  // Anything after the numbers must be a suffix separator, e.g. "-181.297.amzn2023" or "+".
  if (pos < s.size() && s[pos] != '-' && s[pos] != '+' && s[pos] != '_' && s[pos] != '.') {
    return std::nullopt;
  }
  if (v.major < 0 || v.minor < 0 || v.patch < 0) return std::nullopt;
  return v;
}

std::string node_arch(const Labels& labels, std::string_view node_info_architecture) {
  const auto it = labels.find(kArchLabel);
  if (it != labels.end() && !it->second.empty()) return it->second;
  return std::string(node_info_architecture);
}

bool auto_mode(const Labels& labels, std::string_view os_image) {
  const auto it = labels.find(kComputeTypeLabel);
  if (it != labels.end() && it->second == "auto") return true;
  return has_prefix(os_image, "Bottlerocket (EKS Auto");
}

NodeOs classify_os(const Labels& labels, std::string_view os_image) {
  const auto it = labels.find(kComputeTypeLabel);
  if (it != labels.end()) {
    if (it->second == "fargate") return NodeOs::kFargate;
    if (it->second == "auto") return NodeOs::kBottlerocket;
  }
  // "Amazon Linux 2", "Amazon Linux 2023", "Amazon Linux 2023.6.20250107".
  if (os_image == "Amazon Linux 2" || has_prefix(os_image, "Amazon Linux 2 ") ||
      has_prefix(os_image, "Amazon Linux 2023")) {
    return NodeOs::kAmazonLinux;
  }
  // "Bottlerocket OS 1.x.y (aws-k8s-1.zz)", "Bottlerocket (EKS Auto, Standard) 2025.3.14 (...)".
  if (has_prefix(os_image, "Bottlerocket OS ") || has_prefix(os_image, "Bottlerocket (")) {
    return NodeOs::kBottlerocket;
  }
  return NodeOs::kOther;
}

}  // namespace jk::policy
