#pragma once
// HttpSession: forwarding an allowed request (included by http_session.h only).
#include <boost/beast/core/string.hpp>

#include "launcher/proxy/deny_body.h"
#include "launcher/proxy/hop_by_hop.h"
#include "launcher/proxy/http_session.h"
#include "launcher/proxy/message_rewrite.h"
#include "launcher/proxy/relay.h"

namespace jk::launcher::proxy {

inline constexpr unsigned kHttp11 = 11;
inline constexpr int kFirstFinalStatus = 200;
inline constexpr int kSwitchingProtocols = 101;
inline constexpr int kBadGateway = 502;
inline constexpr int kGatewayTimeout = 504;
// Temporaries are never passed straight into a coroutine call inside co_await here: GCC 12
// destroys them twice (ASan: double free); named locals are moved in instead.

template <class Client>
std::string HttpSession<Client>::deny_text(std::string_view method,
                                           const Destination& destination) {
  return deny_body(method, destination.host, destination.path);
}

// Rewrites the request head for the upstream: origin-form target, HTTP/1.1, Host set, hop-by-hop
// fields dropped (the websocket upgrade kept when asked for).
inline void rewrite_request(http::request<http::buffer_body>& request,
                            const Destination& destination, bool websocket) {
  const bool absolute = !view(request.target()).starts_with('/');
  strip_hop_by_hop(request, websocket);
  request.erase(http::field::expect);  // the proxy answered 100-continue itself
  request.target(destination.path);
  request.version(kHttp11);
  if (absolute || request[http::field::host].empty()) {
    const bool default_port = destination.port == (destination.tls ? 443 : 80);  // NOLINT
    const std::string bracketed = destination.host.find(':') != std::string::npos
                                      ? "[" + destination.host + "]"
                                      : destination.host;
    request.set(http::field::host,
                default_port ? bracketed : bracketed + ":" + std::to_string(destination.port));
  }
}

template <class Client>
awaitable<Next> HttpSession<Client>::forward(RequestParser& parser, const Destination& destination,
                                             RequestAudit& audit) {
  if (!upstream_.connected_to(destination) || upstream_.has_leftover()) {
    if (auto failed = co_await upstream_.connect(destination, context_)) {
      co_return co_await fail_upstream(audit, *failed);
    }
  }
  auto& request = parser.get();
  const bool websocket =
      is_websocket_upgrade(connection_listed(request), view(request[http::field::upgrade]));
  if (beast::iequals(request[http::field::expect], "100-continue")) {
    static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
    lowest(client_).expires_after(timeouts().idle_transfer);
    auto [ec, n] = co_await asio::async_write(client_, asio::buffer(kContinue), kUseTuple);
    if (ec) co_return Next::kClose;
  }
  const unsigned client_version = request.version();
  const bool client_keep_alive = request.keep_alive();
  rewrite_request(request, destination, websocket);
  const RelayResult sent = co_await upstream_.visit([&](auto& up) {
    return relay_message(up, client_, buffer_, parser, timeouts().idle_transfer);
  });
  audit.add_bytes(sent.body_bytes, 0);
  if (sent.read_error) {
    upstream_.close();
    audit.finish(requestlog::Decision::kError, 0, "client: " + sent.read_error.message());
    co_return Next::kClose;
  }
  if (sent.write_error) {
    UpstreamFailure failure{kBadGateway, "upstream write: " + sent.write_error.message()};
    co_return co_await fail_upstream(audit, std::move(failure));
  }
  request.version(client_version);
  request.keep_alive(client_keep_alive);
  co_return co_await relay_response(parser, audit, websocket);
}

template <class Client>
awaitable<error_code> HttpSession<Client>::read_response_head(
    std::optional<ResponseParser>& response, bool head) {
  for (;;) {
    response.emplace();
    response->header_limit(context_.options.max_header_bytes);
    response->body_limit(boost::none);
    if (head) response->skip(true);
    upstream_.lowest_stream().expires_after(timeouts().upstream_response);
    auto [ec, n] = co_await upstream_.visit([&](auto& up) {
      return http::async_read_header(up, upstream_.buffer(), *response, kUseTuple);
    });
    if (ec) co_return ec;
    const int status = static_cast<int>(response->get().result_int());
    // Interim responses (103 Early Hints, a 100 the proxy already sent) are dropped.
    if (status >= kFirstFinalStatus || status == kSwitchingProtocols) co_return error_code{};
  }
}

template <class Client>
awaitable<Next> HttpSession<Client>::relay_response(RequestParser& parser, RequestAudit& audit,
                                                    bool websocket) {
  const auto& request = parser.get();
  std::optional<ResponseParser> response;
  const error_code ec = co_await read_response_head(response, request.method() == http::verb::head);
  if (ec) {
    const int status = is_timeout(ec) ? kGatewayTimeout : kBadGateway;
    UpstreamFailure failure{status, "upstream response: " + ec.message()};
    co_return co_await fail_upstream(audit, std::move(failure));
  }
  auto& res = response->get();
  const int status = static_cast<int>(res.result_int());
  if (status == kSwitchingProtocols) {
    if (websocket) co_return co_await tunnel_websocket(*response, audit);
    UpstreamFailure failure{kBadGateway, "upstream switched protocols unasked"};
    co_return co_await fail_upstream(audit, std::move(failure));
  }
  const bool upstream_reusable = res.keep_alive() && !response->need_eof() && reuse_upstream_;
  bool keep_alive = request.keep_alive();
  strip_hop_by_hop(res, false);
  res.version(kHttp11);
  const bool unframed = !response->is_done() && !res.chunked() && !res.has_content_length();
  if (request.version() >= kHttp11 && unframed) res.chunked(true);
  if (request.version() < kHttp11 && (unframed || res.chunked())) {
    res.chunked(false);
    keep_alive = false;
  }
  res.keep_alive(keep_alive);
  const RelayResult got = co_await upstream_.visit([&](auto& up) {
    return relay_message(client_, up, upstream_.buffer(), *response, timeouts().idle_transfer);
  });
  audit.add_bytes(0, got.body_bytes);
  if (got.read_error) {
    upstream_.close();
    audit.finish(requestlog::Decision::kError, status,
                 "upstream body: " + got.read_error.message());
    co_return Next::kClose;
  }
  audit.finish(requestlog::Decision::kAllow, status,
               got.write_error ? "client: " + got.write_error.message() : "");
  // Bytes after the response were not asked for: never hand them to the next request.
  if (!upstream_reusable || upstream_.has_leftover()) upstream_.close();
  co_return keep_alive && !got.write_error ? Next::kContinue : Next::kClose;
}

template <class Client>
awaitable<Next> HttpSession<Client>::tunnel_websocket(ResponseParser& response,
                                                      RequestAudit& audit) {
  strip_hop_by_hop(response.get(), true);
  const RelayResult head = co_await upstream_.visit([&](auto& up) {
    return relay_message(client_, up, upstream_.buffer(), response, timeouts().idle_transfer);
  });
  if (head.read_error || head.write_error) {
    audit.finish(requestlog::Decision::kError, kSwitchingProtocols,
                 "websocket handshake relay failed");
    co_return Next::kClose;
  }
  audit.finish(requestlog::Decision::kAllow, kSwitchingProtocols, "websocket");
  std::uint64_t up_bytes = 0;
  std::uint64_t down_bytes = 0;
  const auto idle = timeouts().idle_transfer;
  co_await upstream_.visit([&](auto& up) -> awaitable<void> {
    co_await tunnel(client_, up, buffer_, upstream_.buffer(), idle, up_bytes, down_bytes);
  });
  upstream_.close();
  co_return Next::kClose;
}

}  // namespace jk::launcher::proxy
