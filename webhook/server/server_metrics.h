#pragma once
// The server's Prometheus metrics, registered once per Server.
#include <string>

#include "common/metrics.h"
#include "webhook/server/connection_tracker.h"

namespace jk::server {

struct ServerMetrics {
  explicit ServerMetrics(metrics::Registry& registry);

  // The budget of one listener's connections: its ConnectionTracker's metrics.
  [[nodiscard]] TrackerMetrics tracker(const std::string& listener) const;

  metrics::Family<metrics::Counter>& requests;              // {code}
  metrics::Family<metrics::Gauge>& connections_active;      // {listener}
  metrics::Family<metrics::Gauge>& connections_idle;        // {listener}
  metrics::Family<metrics::Counter>& connections_rejected;  // {listener}: all busy at the limit
  metrics::Family<metrics::Counter>&
      connections_reclaimed;                 // {listener}: idle, closed at the limit
  metrics::Gauge& request_memory_in_flight;  // bytes leased from the budget
  metrics::Counter& budget_refusals;         // 503: budget short
  metrics::Counter& tls_handshake_failures;
  metrics::Gauge& certificate_expiry;                      // notAfter, Unix seconds
  metrics::Family<metrics::Counter>& certificate_reloads;  // {result}
};

}  // namespace jk::server
