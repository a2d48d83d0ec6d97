#pragma once
// The server's Prometheus metrics, registered once per Server.
#include "common/metrics.h"

namespace jk::server {

struct ServerMetrics {
  explicit ServerMetrics(metrics::Registry& registry);

  metrics::Family<metrics::Counter>& requests;  // {code}
  metrics::Gauge& connections_active;
  metrics::Counter& connections_rejected;  // over max_connections
  metrics::Counter& tls_handshake_failures;
  metrics::Gauge& certificate_expiry;                      // notAfter, Unix seconds
  metrics::Family<metrics::Counter>& certificate_reloads;  // {result}
};

}  // namespace jk::server
