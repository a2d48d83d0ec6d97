#include "webhook/inject/status.h"

#include <algorithm>

#include "common/json_writer.h"
#include "launchspec/launch_spec.h"

namespace jk::inject {
namespace {

void write_grant(JsonWriter& w, const policy::ContainerGrant& g) {
  w.begin_object().key("container").string(g.container);
  w.key("add").strings(g.add);
  w.key("seccompUnconfined").boolean(g.seccomp_unconfined);
  if (!g.why.empty()) w.key("why").strings(g.why);
  if (!g.notes.empty()) w.key("notes").strings(g.notes);
  if (!g.warnings.empty()) w.key("warnings").strings(g.warnings);
  w.end_object();
}

// Every container's added capabilities, sorted, once each (per container: "grants").
std::vector<std::string_view> all_capabilities(const std::vector<policy::ContainerGrant>& grants) {
  std::vector<std::string_view> all;
  for (const auto& g : grants) {
    for (const auto& cap : g.add) {
      if (std::find(all.begin(), all.end(), cap) == all.end()) all.push_back(cap);
    }
  }
  std::sort(all.begin(), all.end());
  return all;
}

}  // namespace

void append_status_record(const policy::Decision& d, const std::string& policy_name,
                          const std::vector<JailedContainer>& containers,
                          const std::vector<std::string>& unwrapped,
                          const std::vector<std::string>& earlier,
                          const std::vector<std::string>& now, std::string& out) {
  JsonWriter w(out);
  w.begin_object().key("version").number(1);
  w.key("nodeOS").string(d.node_os_label);
  if (d.prediction.targets.size() > 1) {
    w.key("candidateOS").begin_array();
    for (const auto target : d.prediction.targets) w.string(policy::target_name(target));
    w.end_array();
  }
  if (d.prediction.min_kernel) w.key("kernel").string(d.prediction.min_kernel->str());
  w.key("basis").string(d.prediction.basis);
  w.key("jail").string(launchspec::jail_name(d.jail));
  if (!d.fallback.empty()) {
    w.key("fallback").begin_array();
    for (const auto jail : d.fallback) w.string(launchspec::jail_name(jail));
    w.end_array();
  }
  w.key("userNamespace").boolean(d.user_namespace);
  w.key("grants").begin_array();
  bool unconfined = false;
  for (const auto& g : d.grants) {
    write_grant(w, g);
    unconfined = unconfined || g.seccomp_unconfined;
  }
  w.end_array();
  w.key("capabilities").strings(all_capabilities(d.grants));
  w.key("seccompUnconfined").boolean(unconfined);
  w.key("policy").string(policy_name);
  w.key("containers").begin_array();
  for (const auto& c : containers) w.string(c.name);
  w.end_array();
  if (!unwrapped.empty()) w.key("unwrapped").strings(unwrapped);
  w.key("changes").begin_array();
  for (const auto& c : earlier) w.string(c);
  for (auto it = now.begin(); it != now.end(); ++it) {
    const auto seen = [&](const auto& list, auto end) {
      return std::find(list.begin(), end, *it) != end;
    };
    if (!seen(earlier, earlier.end()) && !seen(now, it)) w.string(*it);
  }
  w.end_array();
  w.end_object();
}

}  // namespace jk::inject
