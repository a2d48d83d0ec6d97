#pragma once
// jailkeeper_pods{namespace,verdict,node_os,jail}: judged pods (those of opted-in namespaces)
// by verdict, the OS of the node they run on now ("" pending, "?" node unknown) and the jail
// recorded at admission. Moved by the table's transitions; a series that drops to zero stays
// at 0 (the registry never removes children).
#include <array>
#include <map>
#include <string>

#include "common/metrics.h"
#include "webhook/podaudit/verdict_table.h"

namespace jk::podaudit {

class PodMetrics {
 public:
  explicit PodMetrics(metrics::Registry& registry);
  void apply(const Transition& transition);
  // jailkeeper_pod_audit_events_total{result}: created, duplicate, dropped, failed.
  metrics::Counter& events(const std::string& result);

 private:
  void add(const audit::AuditRow& row, double delta);

  metrics::Family<metrics::Gauge>& pods_;
  metrics::Family<metrics::Counter>& events_;
  std::map<std::array<std::string, 4>, double> counts_;
};

}  // namespace jk::podaudit
