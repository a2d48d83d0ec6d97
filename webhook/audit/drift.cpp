#include "webhook/audit/drift.h"

#include <algorithm>

#include "launchspec/launch_spec.h"

namespace jk::audit {
namespace {

using launchspec::JailType;
using policy::NodeOs;

constexpr std::string_view kUnknownOs = "unknown";
constexpr std::string_view kMixedOs = "mixed";
constexpr std::string_view kNetAdmin = "NET_ADMIN";
constexpr std::string_view kSysAdmin = "SYS_ADMIN";

bool grants(const StatusRecord& r, std::string_view cap) {
  return std::find(r.capabilities.begin(), r.capabilities.end(), cap) != r.capabilities.end();
}

// Why nsjail, with what the record grants, cannot start on `node`; empty: it can.
std::string nsjail_problem(const StatusRecord& r, const policy::Node& node) {
  if (node.os == NodeOs::kFargate) return "nsjail needs capabilities, Fargate grants none";
  if (!grants(r, kNetAdmin)) return "nsjail needs NET_ADMIN";
  if (node.user_namespaces_off && (r.user_namespace || !grants(r, kSysAdmin))) {
    return "user namespaces are off on this node: nsjail needs no user namespace + SYS_ADMIN";
  }
  if (node.os == NodeOs::kBottlerocket && !r.seccomp_unconfined && !grants(r, kSysAdmin)) {
    return "on Bottlerocket nsjail needs seccompProfile Unconfined or SYS_ADMIN";
  }
  return "";
}

std::string kernel_problem(std::string_view jail, const policy::KernelVersion& needed,
                           const policy::Node& node) {
  if (!node.kernel || *node.kernel >= needed) return "";
  return std::string(jail) + " needs Linux >= " + needed.str() + ", node runs " +
         node.kernel->str();
}

std::string jail_problem(const StatusRecord& r, const policy::Node& node) {
  const auto jail = launchspec::parse_jail(r.jail);
  if (jail == JailType::kNsjail) return nsjail_problem(r, node);
  if (jail == JailType::kLandjail)
    return kernel_problem("landjail (Landlock ABI 4)", kLandlockMinKernel, node);
  return kernel_problem("seccompjail", kSeccompNotifyMinKernel, node);
}

bool os_matches(const StatusRecord& r, std::string_view actual) {
  if (r.node_os == kMixedOs) {
    // Candidates are prediction targets: "bottlerocket-no-userns" is a kind of "bottlerocket".
    return std::any_of(r.candidate_os.begin(), r.candidate_os.end(), [&](std::string_view c) {
      return c == actual || (c.size() > actual.size() && c.substr(0, actual.size()) == actual &&
                             c[actual.size()] == '-');
    });
  }
  return r.node_os == actual;
}

}  // namespace

DriftCheck check_drift(const StatusRecord& record, const policy::Node* node) {
  DriftCheck out;
  if (record.node_os == kUnknownOs) {
    out.findings.push_back(
        "admitted with no node known (nodeOS unknown): the grant was not chosen for this node");
  }
  if (node == nullptr) return out;
  const std::string actual(policy::os_name(node->os));
  const std::string problem = jail_problem(record, *node);
  const bool differs = record.node_os != kUnknownOs && !os_matches(record, actual);
  const std::string prefix = differs ? "predicted " + record.node_os + ", runs on " + actual : "";
  if (!problem.empty()) {
    out.findings.push_back(prefix.empty() ? problem : prefix + ": " + problem);
  } else if (differs) {
    out.notes.push_back(prefix + " (the grant works there too)");
  }
  return out;
}

}  // namespace jk::audit
