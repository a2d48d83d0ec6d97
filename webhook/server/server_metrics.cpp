#include "webhook/server/server_metrics.h"

namespace jk::server {

ServerMetrics::ServerMetrics(metrics::Registry& registry)
    : requests(registry.counter("jailkeeper_http_requests_total",
                                "HTTPS requests answered, by status code.", {"code"})),
      connections_active(registry
                             .gauge("jailkeeper_connections_active",
                                    "Open connections on the webhook and metrics listeners.")
                             .with({})),
      connections_rejected(registry
                               .counter("jailkeeper_connections_rejected_total",
                                        "Connections closed at accept: max_connections reached.")
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

}  // namespace jk::server
