#include "webhook/inject/status.h"

#include <algorithm>

#include "launchspec/launch_spec.h"

namespace jk::inject {

nlohmann::ordered_json status_record(const policy::Decision& d, const std::string& policy_name,
                                     const std::vector<JailedContainer>& containers,
                                     const std::vector<std::string>& unwrapped) {
  nlohmann::ordered_json s;
  s["version"] = 1;
  s["nodeOS"] = d.node_os_label;
  if (d.prediction.targets.size() > 1) {
    auto& t = s["candidateOS"] = nlohmann::ordered_json::array();
    for (const auto target : d.prediction.targets) t.push_back(policy::target_name(target));
  }
  if (d.prediction.min_kernel) s["kernel"] = d.prediction.min_kernel->str();
  s["basis"] = d.prediction.basis;
  s["jail"] = launchspec::jail_name(d.jail);
  if (!d.fallback.empty()) {
    auto& f = s["fallback"] = nlohmann::ordered_json::array();
    for (const auto jail : d.fallback) f.push_back(launchspec::jail_name(jail));
  }
  s["userNamespace"] = d.user_namespace;
  std::vector<std::string> all;
  bool unconfined = false;
  auto& grants = s["grants"] = nlohmann::ordered_json::array();
  for (const auto& g : d.grants) {
    for (const auto& cap : g.add) {
      if (std::find(all.begin(), all.end(), cap) == all.end()) all.push_back(cap);
    }
    unconfined = unconfined || g.seccomp_unconfined;
    nlohmann::ordered_json one{
        {"container", g.container}, {"add", g.add}, {"seccompUnconfined", g.seccomp_unconfined}};
    if (!g.why.empty()) one["why"] = g.why;
    if (!g.notes.empty()) one["notes"] = g.notes;
    if (!g.warnings.empty()) one["warnings"] = g.warnings;
    grants.push_back(std::move(one));
  }
  std::sort(all.begin(), all.end());
  s["capabilities"] = all;  // every container's added capabilities (per container: "grants")
  s["seccompUnconfined"] = unconfined;
  s["policy"] = policy_name;
  auto& names = s["containers"] = nlohmann::ordered_json::array();
  for (const auto& c : containers) names.push_back(c.name);
  if (!unwrapped.empty()) s["unwrapped"] = unwrapped;
  return s;
}

}  // namespace jk::inject
