#include "webhook/podaudit/pod_metrics.h"

namespace jk::podaudit {

PodMetrics::PodMetrics(metrics::Registry& registry)
    : pods_(registry.gauge("jailkeeper_pods",
                           "Pods of opted-in namespaces by audit verdict, current node OS and "
                           "recorded jail (continuous audit).",
                           {"namespace", "verdict", "node_os", "jail"})),
      events_(registry.counter("jailkeeper_pod_audit_events_total",
                               "Kubernetes Events for pods that turned DRIFT, TAMPERED or "
                               "UNPATCHED, by result (created, duplicate, dropped, failed).",
                               {"result"})) {}

void PodMetrics::add(const audit::AuditRow& row, double delta) {
  const std::array<std::string, 4> labels{
      row.namespace_name, std::string(audit::verdict_name(row.verdict)), row.node_os, row.jail};
  double& count = counts_[labels];
  count += delta;
  pods_.with({labels[0], labels[1], labels[2], labels[3]}).set(count);
}

void PodMetrics::apply(const Transition& transition) {
  if (transition.before) add(*transition.before, -1);
  if (transition.after) add(*transition.after, 1);
}

metrics::Counter& PodMetrics::events(const std::string& result) { return events_.with({result}); }

}  // namespace jk::podaudit
