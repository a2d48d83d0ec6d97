#pragma once
// The server's own options: listeners, TLS files, limits and timeouts. A plain value; config/
// builds it from YAML (server: ...) and validates it, with the documented defaults here.
#include <chrono>
#include <cstdint>
#include <string>

namespace jk::server {

struct ServerOptions {
  std::string listen = "0.0.0.0:8443";
  std::string metrics_listen = "0.0.0.0:9090";
  std::string tls_cert;
  std::string tls_key;
  std::string client_ca;  // empty: no client-certificate verification
  std::uint64_t max_body_bytes = 8 * 1024 * 1024;
  std::uint32_t max_header_bytes = 16 * 1024;
  // Bodies of requests in flight and their decoding (a JSON DOM: up to ~35x the text), all
  // connections together; at least 4/3 of max_body_bytes.
  std::uint64_t max_request_memory_bytes = 96 * 1024 * 1024;
  std::chrono::milliseconds handshake_timeout{5000};
  std::chrono::milliseconds read_timeout{10000};
  std::chrono::milliseconds write_timeout{10000};
  std::chrono::milliseconds idle_timeout{90000};
  std::chrono::milliseconds linger_timeout{2000};  // input read and dropped after our close
  // SIGTERM: for shutdown_delay keep accepting and answering (Connection: close, /readyz 503),
  // then stop accepting and close idle connections; requests in flight get until
  // shutdown_grace, counted from SIGTERM (which also cuts a longer delay short).
  std::chrono::milliseconds shutdown_delay{5000};
  std::chrono::milliseconds shutdown_grace{15000};
  std::chrono::milliseconds cert_reload_interval{1000};
  std::uint32_t max_connections = 2048;        // the webhook listener's
  std::uint32_t max_metrics_connections = 64;  // the metrics listener's own budget
  std::uint32_t worker_threads = 0;            // 0: one per core
  bool operator==(const ServerOptions&) const = default;
};

}  // namespace jk::server
