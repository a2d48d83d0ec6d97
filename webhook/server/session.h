#pragma once
// One HTTP connection (plain or TLS), in Beast's session shape: a timeout before every
// handshake/read/write, a fresh parser per message with body and header limits, keep-alive,
// and one fail() for logging. The handler only sees handler::HttpRequest/HttpResponse.
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>

#include "webhook/handler/http.h"
#include "webhook/server/connection_tracker.h"
#include "webhook/server/server_metrics.h"
#include "webhook/server/tls_context.h"

namespace jk::server {

struct SessionLimits {
  std::uint64_t max_body_bytes = 0;
  std::uint32_t max_header_bytes = 0;
  std::chrono::milliseconds handshake_timeout{0};
  std::chrono::milliseconds read_timeout{0};   // first request, and every request body
  std::chrono::milliseconds write_timeout{0};  // responses and TLS close
  std::chrono::milliseconds idle_timeout{0};   // waiting for the next keep-alive request
};

using Responder = std::function<handler::HttpResponse(const handler::HttpRequest&)>;

// What every session of one listener shares; owned by the server, outlives the sessions.
struct SessionEnv {
  SessionLimits limits;
  Responder respond;
  ConnectionTracker& tracker;
  ServerMetrics& metrics;
  bool count_requests = false;  // jailkeeper_http_requests_total is for the webhook listener
};

void start_plain_session(boost::asio::ip::tcp::socket socket, const SessionEnv& env,
                         ConnectionTracker::Ticket ticket);
void start_tls_session(boost::asio::ip::tcp::socket socket, std::shared_ptr<ssl::context> context,
                       const SessionEnv& env, ConnectionTracker::Ticket ticket);

}  // namespace jk::server
