#include "webhook/server/server_metrics.h"

namespace jk::server {

ServerMetrics::ServerMetrics(metrics::Registry& registry)
    : requests(registry.counter("jailkeeper_http_requests_total",
                                "HTTPS requests answered, by status code.", {"code"})),
      connections_active(registry.gauge("jailkeeper_connections_active",
                                        "Open connections, by listener.", {"listener"})),
      connections_idle(registry.gauge(
          "jailkeeper_connections_idle",
          "Open connections waiting for a request with nothing of it received (reclaimable at "
          "the connection limit), by listener.",
          {"listener"})),
      connections_rejected(registry.counter(
          "jailkeeper_connections_rejected_total",
          "Connections closed at accept: the listener's connection limit was reached and no "
          "connection was idle.",
          {"listener"})),
      connections_reclaimed(registry.counter(
          "jailkeeper_connections_reclaimed_total",
          "Idle connections closed to admit a new one at the listener's connection limit.",
          {"listener"})),
      request_memory_in_flight(
          registry
              .gauge("jailkeeper_request_memory_bytes",
                     "Bytes of the request memory budget held by requests in flight (bodies and "
                     "their decoding).")
              .with({})),
      budget_refusals(registry
                          .counter("jailkeeper_request_memory_refusals_total",
                                   "Requests answered 503: the request memory budget was short.")
                          .with({})),
      tls_handshake_failures(registry
                                 .counter("jailkeeper_tls_handshake_failures_total",
                                          "TLS handshakes that failed or timed out.")
                                 .with({})),
      certificate_expiry(registry
                             .gauge("jailkeeper_certificate_expiry_timestamp_seconds",
                                    "notAfter of the served certificate (Unix seconds).")
                             .with({})),
      certificate_reloads(registry.counter("jailkeeper_certificate_reloads_total",
                                           "Certificate reload attempts, by result.", {"result"})) {
}

TrackerMetrics ServerMetrics::tracker(const std::string& listener) const {
  return TrackerMetrics{connections_active.with({listener}), connections_idle.with({listener}),
                        connections_rejected.with({listener}),
                        connections_reclaimed.with({listener})};
}

}  // namespace jk::server
