#pragma once
// One HTTP connection (plain or TLS), in Beast's session shape: a deadline before every
// handshake/read/write, a fresh parser per message with body and header limits, keep-alive,
// and one fail() for logging. The handler only sees HttpRequest/HttpResponse.
//
// Beyond the basics, what keeps reviews from being lost:
//  - server-initiated closes are lingering: TLS close_notify, FIN, then whatever the client
//    still sends is read and dropped (for at most linger_timeout) before the socket closes, so
//    a 413/431 reaches a client that is still sending its body instead of being lost to a reset;
//  - every request body holds a lease of the server-wide RequestBudget (body, then decoding);
//    when the budget is short the answer is 503 and the body is never read;
//  - `Expect: 100-continue` gets `100 Continue` once the body can be taken; obs-folded
//    headers get 400;
//  - the ConnectionTracker always knows whether the session is idle (nothing received), so it
//    can close idle sessions to admit new connections and at the end of a shutdown.
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>

#include "webhook/server/connection_tracker.h"
#include "webhook/server/http.h"
#include "webhook/server/request_budget.h"
#include "webhook/server/server_metrics.h"
#include "webhook/server/session_socket.h"
#include "webhook/server/tls_context.h"

namespace jk::server {

struct SessionLimits {
  std::uint64_t max_body_bytes = 0;
  std::uint32_t max_header_bytes = 0;
  std::chrono::milliseconds handshake_timeout{0};
  std::chrono::milliseconds read_timeout{0};    // first request, and every request body
  std::chrono::milliseconds write_timeout{0};   // responses and TLS close
  std::chrono::milliseconds idle_timeout{0};    // waiting for the next keep-alive request
  std::chrono::milliseconds linger_timeout{0};  // reading and dropping input after our close
};

using Responder = std::function<HttpResponse(const HttpRequest&)>;

// What every session of one listener shares; owned by the server, outlives the sessions.
struct SessionEnv {
  SessionLimits limits;
  Responder respond;
  ConnectionTracker& tracker;
  RequestBudget& budget;
  ServerMetrics& metrics;
  bool count_requests = false;  // jailkeeper_http_requests_total is for the webhook listener
};

// `context` null: plain HTTP.
void start_session(SessionSocket socket, std::shared_ptr<ssl::context> context,
                   const SessionEnv& env, ConnectionTracker::Ticket ticket);

}  // namespace jk::server
