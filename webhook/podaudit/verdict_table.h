#pragma once
// The continuous audit's state, pure: every pod the watch delivered (as audit::PodView), and
// for each pod of an opted-in namespace its current verdict (audit::evaluate, the same function
// `audit` uses). Every change is returned as a Transition so that the caller can move gauges
// and emit Events; nothing here does I/O or takes locks.
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "webhook/audit/cluster.h"
#include "webhook/audit/pod_view.h"
#include "webhook/audit/verdict.h"
#include "webhook/policy/namespace_index.h"
#include "webhook/policy/node_index.h"
#include "webhook/policy/policy_config.h"

namespace jk::podaudit {

struct WatchedPod {
  std::string uid;  // metadata.uid (Events name the pod by it)
  audit::PodView view;
};

// What a verdict depends on besides the pod: the inventory snapshots (either may be null).
struct Inputs {
  std::shared_ptr<const policy::NodeIndex> nodes;
  std::shared_ptr<const policy::NamespaceIndex> namespaces;
};

struct TableSettings {
  std::vector<std::string> skip_namespaces{"kube-system"};
  std::string webhook_namespace;
  policy::PolicyConfig policy;  // profiles and pools: what each node gives a jail (DRIFT)
};

// A judged pod's verdict changed. before: none when it was not judged (new, or its namespace
// just opted in); after: none when it is no longer judged (deleted, or opted out).
struct Transition {
  std::string uid;
  std::optional<audit::AuditRow> before;
  std::optional<audit::AuditRow> after;
};

// Which pods a report covers, as `audit` selects them.
struct RowFilter {
  std::string namespace_name;   // -n NS ("" = the opted-in namespaces)
  bool all_namespaces = false;  // -A
};

class VerdictTable {
 public:
  explicit VerdictTable(TableSettings settings);

  // A complete list: replaces everything.
  std::vector<Transition> replace(std::vector<WatchedPod> pods, const Inputs& inputs);
  std::vector<Transition> upsert(WatchedPod pod, const Inputs& inputs);
  std::vector<Transition> erase(const std::string& namespace_name, const std::string& name);
  // The inventory changed: re-judges the pods on nodes that changed (any field) and the pods
  // of namespaces that opted in or out since the last call.
  std::vector<Transition> rejudge(const Inputs& inputs);

  // Rows sorted by namespace and name, exactly as `audit` prints them for the same objects.
  [[nodiscard]] std::vector<audit::AuditRow> rows(const RowFilter& filter) const;
  [[nodiscard]] std::size_t size() const { return pods_.size(); }
  [[nodiscard]] std::size_t judged() const;

 private:
  struct Entry {
    WatchedPod pod;
    std::optional<audit::AuditRow> row;  // set while its namespace is opted in
  };

  [[nodiscard]] audit::PodContext context(const audit::PodView& pod, const Inputs& inputs) const;
  [[nodiscard]] bool opted_in(const std::string& namespace_name, const Inputs& inputs) const;
  // Re-evaluates one entry; appends a Transition when the verdict or reason changed.
  void judge(Entry& entry, const Inputs& inputs, std::vector<Transition>& out) const;
  std::unordered_set<std::string> changed_nodes(const Inputs& inputs) const;

  TableSettings settings_;
  std::map<std::string, Entry> pods_;  // "namespace/name"
  Inputs last_;                        // the inputs of the last judgement
};

// Same verdict, reason, node OS and jail: nothing an operator would see changed.
bool same_row(const audit::AuditRow& a, const audit::AuditRow& b);

}  // namespace jk::podaudit
