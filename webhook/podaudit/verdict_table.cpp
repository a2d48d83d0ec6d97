#include "webhook/podaudit/verdict_table.h"

#include <algorithm>
#include <utility>

namespace jk::podaudit {
namespace {

std::string key_of(const std::string& namespace_name, const std::string& name) {
  return namespace_name + "/" + name;
}

const policy::Node* find_node(const Inputs& inputs, const std::string& name) {
  if (!inputs.nodes || name.empty()) return nullptr;
  return inputs.nodes->by_name(name);
}

}  // namespace

bool same_row(const audit::AuditRow& a, const audit::AuditRow& b) {
  return a.verdict == b.verdict && a.reason == b.reason && a.node == b.node &&
         a.node_os == b.node_os && a.kernel == b.kernel && a.recorded_os == b.recorded_os &&
         a.jail == b.jail;
}

VerdictTable::VerdictTable(TableSettings settings) : settings_(std::move(settings)) {}

bool VerdictTable::opted_in(const std::string& namespace_name, const Inputs& inputs) const {
  if (!inputs.namespaces) return false;
  const policy::Labels* labels = inputs.namespaces->labels(namespace_name);
  if (labels == nullptr) return false;
  const auto it = labels->find(audit::kInjectLabel);
  return it != labels->end() && it->second == audit::kOptInValue;
}

// As audit::audit_cluster builds it (webhook/audit/cluster.cpp), from the live indexes.
audit::PodContext VerdictTable::context(const audit::PodView& pod, const Inputs& inputs) const {
  audit::PodContext ctx;
  ctx.config = &settings_.policy;
  ctx.node = find_node(inputs, pod.node_name);
  ctx.namespace_opted_in = opted_in(pod.namespace_name, inputs);
  const auto& skip = settings_.skip_namespaces;
  if (!settings_.webhook_namespace.empty() && pod.namespace_name == settings_.webhook_namespace) {
    ctx.namespace_skip = "webhook-namespace";
  } else if (std::find(skip.begin(), skip.end(), pod.namespace_name) != skip.end()) {
    ctx.namespace_skip = "skipped-namespace";
  }
  return ctx;
}

void VerdictTable::judge(Entry& entry, const Inputs& inputs, std::vector<Transition>& out) const {
  std::optional<audit::AuditRow> next;
  if (opted_in(entry.pod.view.namespace_name, inputs)) {
    next = audit::evaluate(entry.pod.view, context(entry.pod.view, inputs));
  }
  const bool unchanged =
      entry.row.has_value() == next.has_value() && (!next || same_row(*entry.row, *next));
  if (unchanged) return;
  out.push_back({entry.pod.uid, entry.row, next});
  entry.row = std::move(next);
}

std::vector<Transition> VerdictTable::replace(std::vector<WatchedPod> pods, const Inputs& inputs) {
  std::map<std::string, Entry> previous = std::move(pods_);
  pods_.clear();
  last_ = inputs;
  std::vector<Transition> out;
  for (auto& pod : pods) {
    const std::string key = key_of(pod.view.namespace_name, pod.view.name);
    Entry entry{std::move(pod), std::nullopt};
    if (auto old = previous.find(key);
        old != previous.end() && old->second.pod.uid == entry.pod.uid) {
      entry.row = std::move(old->second.row);
      previous.erase(old);
    }
    judge(entry, inputs, out);
    pods_.insert_or_assign(key, std::move(entry));
  }
  for (auto& [key, gone] : previous) {  // deleted while the watch was down
    if (gone.row) out.push_back({gone.pod.uid, std::move(gone.row), std::nullopt});
  }
  return out;
}

std::vector<Transition> VerdictTable::upsert(WatchedPod pod, const Inputs& inputs) {
  last_ = inputs;
  std::vector<Transition> out;
  const std::string key = key_of(pod.view.namespace_name, pod.view.name);
  auto it = pods_.find(key);
  if (it != pods_.end() && it->second.pod.uid != pod.uid) {  // same name, a new pod
    if (it->second.row)
      out.push_back({it->second.pod.uid, std::move(it->second.row), std::nullopt});
    pods_.erase(it);
    it = pods_.end();
  }
  if (it == pods_.end())
    it = pods_.emplace(key, Entry{std::move(pod), std::nullopt}).first;
  else
    it->second.pod = std::move(pod);
  judge(it->second, inputs, out);
  return out;
}

std::vector<Transition> VerdictTable::erase(const std::string& namespace_name,
                                            const std::string& name) {
  std::vector<Transition> out;
  const auto it = pods_.find(key_of(namespace_name, name));
  if (it == pods_.end()) return out;
  if (it->second.row) out.push_back({it->second.pod.uid, std::move(it->second.row), std::nullopt});
  pods_.erase(it);
  return out;
}

// Nodes whose object differs between the last judged snapshot and this one (added, removed,
// or any field changed: OS, kernel, labels, taints).
std::unordered_set<std::string> VerdictTable::changed_nodes(const Inputs& inputs) const {
  std::unordered_set<std::string> changed;
  if (inputs.nodes == last_.nodes) return changed;
  static const policy::NodeIndex kEmpty(std::vector<policy::Node>{});
  const policy::NodeIndex& before = last_.nodes ? *last_.nodes : kEmpty;
  const policy::NodeIndex& after = inputs.nodes ? *inputs.nodes : kEmpty;
  for (const auto& node : after.nodes()) {
    const policy::Node* old = before.by_name(node.name);
    if (old == nullptr || !(*old == node)) changed.insert(node.name);
  }
  for (const auto& node : before.nodes()) {
    if (after.by_name(node.name) == nullptr) changed.insert(node.name);
  }
  return changed;
}

std::vector<Transition> VerdictTable::rejudge(const Inputs& inputs) {
  std::vector<Transition> out;
  if (inputs.nodes == last_.nodes && inputs.namespaces == last_.namespaces) return out;
  const auto changed = changed_nodes(inputs);
  for (auto& [key, entry] : pods_) {
    const auto& view = entry.pod.view;
    const bool node_changed = !view.node_name.empty() && changed.count(view.node_name) != 0;
    const bool opt_in_changed = opted_in(view.namespace_name, inputs) != entry.row.has_value();
    if (node_changed || opt_in_changed) judge(entry, inputs, out);
  }
  last_ = inputs;
  return out;
}

std::vector<audit::AuditRow> VerdictTable::rows(const RowFilter& filter) const {
  std::vector<audit::AuditRow> out;
  for (const auto& [key, entry] : pods_) {
    const auto& view = entry.pod.view;
    const bool wanted =
        filter.all_namespaces ||
        (filter.namespace_name.empty() ? entry.row.has_value()
                                       : view.namespace_name == filter.namespace_name);
    if (!wanted) continue;
    out.push_back(entry.row ? *entry.row : audit::evaluate(view, context(view, last_)));
  }
  std::sort(out.begin(), out.end(), [](const audit::AuditRow& a, const audit::AuditRow& b) {
    return std::tie(a.namespace_name, a.pod) < std::tie(b.namespace_name, b.pod);
  });
  return out;
}

std::size_t VerdictTable::judged() const {
  return static_cast<std::size_t>(std::count_if(
      pods_.begin(), pods_.end(), [](const auto& entry) { return entry.second.row.has_value(); }));
}

}  // namespace jk::podaudit
