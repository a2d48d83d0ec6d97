#include "webhook/audit/drift.h"

#include <algorithm>

#include "common/strings.h"
#include "launchspec/launch_spec.h"
#include "webhook/policy/decide.h"
#include "webhook/policy/jail_needs.h"

namespace jk::audit {
namespace {

using launchspec::JailType;

constexpr std::string_view kUnknownOs = "unknown";
constexpr std::string_view kMixedOs = "mixed";

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

const policy::ContainerShape* shape_of(const PodView& pod, const std::string& name) {
  for (std::size_t i = 0; i < pod.containers.size() && i < pod.shapes.size(); ++i) {
    if (pod.containers[i].name == name) return &pod.shapes[i];
  }
  return nullptr;
}

// Why `jail` cannot start for the pod's jailed containers on a node giving `env`; empty: it can.
std::vector<std::string> problems(JailType jail, const StatusRecord& record, const PodView& pod,
                                  const policy::NodeEnv& env) {
  std::vector<std::string> out;
  for (const auto& name : record.containers) {
    const policy::ContainerShape* shape = shape_of(pod, name);
    if (shape == nullptr) continue;  // a missing container is tampering, reported there
    const auto need = policy::need_for(jail, record.user_namespace, *shape, env);
    for (const auto& why : policy::unmet(need, *shape, env)) {
      const std::string line = record.containers.size() > 1 ? name + ": " + why : why;
      if (std::find(out.begin(), out.end(), line) == out.end()) out.push_back(line);
    }
  }
  return out;
}

// Empty when the recorded jail (or a fallback) starts there; else why the recorded jail does not.
std::string jail_problem(const StatusRecord& record, const PodView& pod, const policy::Node& node,
                         const policy::PolicyConfig& config) {
  if (!pod.shapes_error.empty())
    return "cannot read the pod's securityContext: " + pod.shapes_error;
  const policy::NodeEnv env = policy::env_of(node, config);
  std::vector<JailType> jails{*launchspec::parse_jail(record.jail)};
  for (const auto& f : record.fallback) jails.push_back(*launchspec::parse_jail(f));
  std::vector<std::string> first;
  for (std::size_t i = 0; i < jails.size(); ++i) {
    auto found = problems(jails[i], record, pod, env);
    if (found.empty()) return "";
    if (i == 0) first = std::move(found);
  }
  return record.jail + ": " + join(first, "; ") +
         (jails.size() > 1 ? " (and no recorded fallback starts there either)" : "");
}

}  // namespace

DriftCheck check_drift(const StatusRecord& record, const PodView& pod, const policy::Node* node,
                       const policy::PolicyConfig& config) {
  DriftCheck out;
  if (record.node_os == kUnknownOs) {
    out.findings.push_back(
        "admitted with no node known (nodeOS unknown): the grant was not chosen for this node");
  }
  if (node == nullptr) return out;
  const std::string actual(policy::os_name(node->os));
  const std::string problem = jail_problem(record, pod, *node, config);
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
