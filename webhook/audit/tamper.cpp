#include "webhook/audit/tamper.h"

#include <algorithm>

#include "launchspec/launch_spec.h"
#include "webhook/patch/patch_builder.h"

namespace jk::audit {
namespace {

constexpr std::string_view kCapPrefix = "CAP_";
constexpr std::string_view kUnconfined = "Unconfined";
constexpr std::string_view kCommandSeparator = "--";

bool has_capability(const std::vector<std::string>& added, std::string_view cap) {
  return std::any_of(added.begin(), added.end(), [&](std::string_view s) {
    if (s.substr(0, kCapPrefix.size()) == kCapPrefix) s.remove_prefix(kCapPrefix.size());
    return s == cap || s == "ALL";
  });
}

bool contains(const std::vector<std::string>& list, std::string_view s) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

bool wrapped(const std::vector<std::string>& command) {
  return command.size() >= 2 && command[0] == launchspec::kLauncherPath &&
         command[1] == kCommandSeparator;
}

void check_container(const PodView& pod, const ContainerView& c, const StatusRecord& record,
                     std::vector<std::string>& out) {
  for (const auto& cap : record.capabilities) {
    if (!has_capability(c.capabilities_added, cap))
      out.push_back(c.name + ": capability " + cap + " missing");
  }
  const std::string seccomp = effective_seccomp(pod, c);
  if (record.seccomp_unconfined && seccomp != kUnconfined) {
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
  if (!has_container(pod.init_containers, patch::kInitContainer)) {
    out.push_back("init container " + std::string(patch::kInitContainer) + " missing");
  }
  return out;
}

}  // namespace jk::audit
