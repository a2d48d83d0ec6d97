#pragma once
// Prometheus metrics for Reflectors, labelled by resource:
//   jailkeeper_kube_watch_restarts_total{resource}     watch streams that ended and reopened
//   jailkeeper_kube_relists_total{resource}            full relists after 410 Gone
//   jailkeeper_kube_list_watch_errors_total{resource}  failed lists/watches (before backoff)
//   jailkeeper_kube_last_sync_timestamp_seconds{resource}  unix time of the last complete list
// Create one per Registry (it registers the families); hooks() per watched resource.
#include <string>

#include "common/metrics.h"
#include "webhook/kube/reflector.h"

namespace jk::kube {

class ReflectorMetrics {
 public:
  explicit ReflectorMetrics(metrics::Registry& registry);
  // Hooks that update this resource's children (this object must outlive the reflector).
  [[nodiscard]] ReflectorHooks hooks(const std::string& resource);

 private:
  metrics::Family<metrics::Counter>& restarts_;
  metrics::Family<metrics::Counter>& relists_;
  metrics::Family<metrics::Counter>& errors_;
  metrics::Family<metrics::Gauge>& last_sync_;
};

}  // namespace jk::kube
