#include "webhook/audit/tamper.h"

#include <algorithm>

#include "launchspec/launch_spec.h"
#include "webhook/inject/patch_builder.h"
#include "webhook/policy/pod_shape.h"

namespace jk::audit {
namespace {

constexpr std::string_view kUnconfined = "Unconfined";
constexpr std::string_view kCommandSeparator = "--";

bool has_capability(const std::vector<std::string>& added, std::string_view cap) {
  return std::any_of(added.begin(), added.end(), [&](const std::string& s) {
    const std::string name = policy::normalize_capability(s);  // as the runtime reads it
    return name == policy::normalize_capability(cap) || name == "ALL";
  });
}

bool contains(const std::vector<std::string>& list, std::string_view s) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

bool wrapped(const std::vector<std::string>& command) {
  return command.size() >= 2 && command[0] == launchspec::kLauncherPath &&
         command[1] == kCommandSeparator;
}

// What the record says this container was granted.
RecordedGrant granted(const StatusRecord& record, const std::string& name) {
  if (record.grants.empty()) return {name, record.capabilities, record.seccomp_unconfined};
  const auto it = std::find_if(record.grants.begin(), record.grants.end(),
                               [&](const RecordedGrant& g) { return g.container == name; });
  return it == record.grants.end() ? RecordedGrant{name, {}, false} : *it;
}

void check_container(const PodView& pod, const ContainerView& c, const StatusRecord& record,
                     std::vector<std::string>& out) {
  const RecordedGrant grant = granted(record, c.name);
  for (const auto& cap : grant.add) {
    if (!has_capability(c.capabilities_added, cap))
      out.push_back(c.name + ": capability " + cap + " missing");
  }
  const std::string seccomp = effective_seccomp(pod, c);
  if (grant.seccomp_unconfined && seccomp != kUnconfined) {
    out.push_back(c.name + ": seccompProfile is " + (seccomp.empty() ? "unset" : seccomp) +
                  ", status says Unconfined");
  }
  if (!contains(record.unwrapped, c.name) && !wrapped(c.command)) {
    out.push_back(c.name + ": command not wrapped by " + std::string(launchspec::kLauncherPath));
  }
  if (!c.has_spec_env)
    out.push_back(c.name + ": env " + std::string(launchspec::kSpecEnv) + " missing");
}

bool has_container(const std::vector<ContainerView>& list, std::string_view name) {
  return std::any_of(list.begin(), list.end(), [&](const auto& c) { return c.name == name; });
}

}  // namespace

std::vector<std::string> tamper_findings(const PodView& pod, const StatusRecord& record) {
  std::vector<std::string> out;
  for (const auto& name : record.containers) {
    const auto it = std::find_if(pod.containers.begin(), pod.containers.end(),
                                 [&](const auto& c) { return c.name == name; });
    if (it == pod.containers.end()) {
      out.push_back("jailed container " + name + " is gone");
      continue;
    }
    check_container(pod, *it, record, out);
  }
  if (!has_container(pod.init_containers, inject::kInitContainer)) {
    out.push_back("init container " + std::string(inject::kInitContainer) + " missing");
  }
  return out;
}

}  // namespace jk::audit
