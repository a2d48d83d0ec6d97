#pragma once
// The HTTP/1.1 request loop on one client stream, plain or intercepted TLS (internal). Each
// request head is checked raw for framing an upstream may read differently (request_framing.h:
// 400), parsed with a fresh parser, its target canonicalized (launchspec/request_path.h: 400 when
// ambiguous) and judged on its own (method, host, port, every reading of the path; first matching
// rule wins), then answered with 403, forwarded with the canonical target (bodies streamed both
// ways, hop-by-hop headers dropped, the upstream kept for the next request to the same
// destination unless the body rule or leftover bytes say otherwise), or turned into a websocket
// tunnel after a 101. A CONNECT ends the loop with the tunnel's destination.
#include <algorithm>
#include <boost/asio/write.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <optional>
#include <string>
#include <vector>

#include "launcher/proxy/asio_types.h"
#include "launcher/proxy/destination.h"
#include "launcher/proxy/proxy_context.h"
#include "launcher/proxy/relay.h"
#include "launcher/proxy/request_audit.h"
#include "launcher/proxy/request_framing.h"
#include "launcher/proxy/upstream.h"

namespace jk::launcher::proxy {

using RequestParser = http::request_parser<http::buffer_body>;
using ResponseParser = http::response_parser<http::buffer_body>;

struct HttpSessionEnd {
  std::optional<HostPort> tunnel;  // the client asked for CONNECT and got 200
};

// What the loop does next after one request.
enum class Next { kContinue, kClose };

// A short text/plain response from the proxy itself (403, 4xx, 502, 504).
http::response<http::string_body> text_response(int status, std::string body, bool keep_alive);

template <class Client>
class HttpSession {
 public:
  HttpSession(Client& client, beast::flat_buffer& buffer, ConnectionDefaults defaults,
              const ProxyContext& context, bool allow_connect)
      : client_(client),
        buffer_(buffer),
        defaults_(std::move(defaults)),
        context_(context),
        allow_connect_(allow_connect),
        upstream_(client.get_executor()) {}

  awaitable<HttpSessionEnd> run() {
    bool first = true;
    while (co_await one_request(first) == Next::kContinue) first = false;
    upstream_.close();
    co_return HttpSessionEnd{tunnel_};
  }

 private:
  const Timeouts& timeouts() const { return context_.options.timeouts; }

  awaitable<Next> one_request(bool first) {
    RequestParser parser;
    parser.header_limit(context_.options.max_header_bytes);
    parser.body_limit(boost::none);  // streamed, never held
    lowest(client_).expires_after(first ? timeouts().header_read : timeouts().idle_client);
    std::size_t head_bytes = 0;
    if (const error_code raw = co_await read_raw_head(head_bytes)) {
      co_return co_await on_read_error(raw);
    }
    const Status framing = check_request_head(buffered().substr(0, head_bytes));
    const std::vector<std::string> overrides = method_overrides(buffered().substr(0, head_bytes));
    auto [ec, n] = co_await http::async_read_header(client_, buffer_, parser, kUseTuple);
    if (ec) co_return co_await on_read_error(ec);
    RequestAudit audit(context_, view(parser.get().method_string()));
    if (!framing.ok()) {
      audit.set_target(std::string(view(parser.get().target())), defaults_.host);
      co_return co_await refuse(audit, http::status::bad_request, framing.error().message);
    }
    if (parser.get().method() == http::verb::connect) co_return co_await on_connect(parser, audit);
    auto destination = request_destination(view(parser.get().target()),
                                           view(parser.get()[http::field::host]), defaults_);
    if (!destination.ok()) {
      audit.set_target(std::string(view(parser.get().target())), defaults_.host);
      co_return co_await refuse(audit, http::status::bad_request, destination.error().message);
    }
    const launchspec::RequestView view_of{view(parser.get().method_string()), destination->host,
                                          destination->path, destination->port};
    auto judged = launchspec::judge(context_.options.rules, view_of);
    if (!judged.ok()) {
      audit.set_destination(*destination);
      co_return co_await refuse(audit, http::status::bad_request, judged.error().message);
    }
    destination->path = judged->target;  // what is judged is what is forwarded
    audit.set_destination(*destination);
    const launchspec::RequestView canonical{view_of.method, destination->host, destination->path,
                                            destination->port};
    if (judged->rule < 0 || !overrides_allowed(overrides, canonical)) {
      co_return co_await deny(parser, *destination, audit);
    }
    audit.set_rule(context_.options.rules[static_cast<std::size_t>(judged->rule)].text);
    const bool has_body =
        parser.chunked() || (parser.content_length() && *parser.content_length() > 0);
    const BodyRule body =
        has_body ? body_rule(view(parser.get().method_string())) : BodyRule::kForward;
    if (body == BodyRule::kRefuse) {
      co_return co_await refuse(audit, http::status::bad_request,
                                "bad request framing: a " + std::string(view_of.method) +
                                    " request with a body (upstreams may read it as the next "
                                    "request)");
    }
    reuse_upstream_ = body == BodyRule::kForward;
    co_return co_await forward(parser, *destination, audit);
  }

  // A method override header names the method some upstreams act on: it must be allowed too.
  [[nodiscard]] bool overrides_allowed(const std::vector<std::string>& overrides,
                                       const launchspec::RequestView& request) const {
    return std::all_of(overrides.begin(), overrides.end(), [&](const std::string& method) {
      launchspec::RequestView as = request;
      as.method = method;
      return launchspec::first_match(context_.options.rules, as) >= 0;
    });
  }

  [[nodiscard]] std::string_view buffered() const {
    const auto data = buffer_.cdata();
    return {static_cast<const char*>(data.data()), data.size()};
  }

  // Reads until the buffer holds a whole request head (or the header limit), so that its raw
  // bytes can be checked before Beast parses them.
  awaitable<error_code> read_raw_head(std::size_t& length) {
    const std::size_t limit = context_.options.max_header_bytes;
    for (;;) {
      // Empty lines before a request line are ignored (RFC 9112 2.2), here and so for Beast.
      while (buffered().starts_with("\r\n")) buffer_.consume(2);
      length = head_length(buffered());
      if (length != std::string_view::npos) co_return error_code{};
      if (buffer_.size() >= limit) co_return error_code(http::error::header_limit);
      const std::size_t room = std::min<std::size_t>(limit - buffer_.size(), kRelayChunkBytes);
      auto [ec, n] = co_await client_.async_read_some(buffer_.prepare(room), kUseTuple);
      if (ec) co_return ec;
      buffer_.commit(n);
    }
  }

  awaitable<Next> on_read_error(const error_code& ec) {
    if (ec == http::error::header_limit) {
      RequestAudit audit(context_, "");
      co_return co_await refuse(
          audit, http::status::request_header_fields_too_large,
          "request head exceeds " + std::to_string(context_.options.max_header_bytes) + " bytes");
    }
    if (is_disconnect(ec) || buffer_.size() == 0) co_return Next::kClose;
    RequestAudit audit(context_, "");
    co_return co_await refuse(audit, http::status::bad_request, "bad request: " + ec.message());
  }

  // Answers with a text status from the proxy and closes; the audit line says why.
  awaitable<Next> refuse(RequestAudit& audit, http::status status, std::string reason) {
    audit.finish(requestlog::Decision::kError, 0, reason);
    co_await send(text_response(static_cast<int>(status), reason + "\n", false));
    co_return Next::kClose;
  }

  awaitable<error_code> send(http::response<http::string_body> response) {
    lowest(client_).expires_after(timeouts().idle_transfer);
    auto [ec, n] = co_await http::async_write(client_, response, kUseTuple);
    co_return ec;
  }

  awaitable<Next> on_connect(RequestParser& parser, RequestAudit& audit) {
    auto where = connect_destination(view(parser.get().target()));
    audit.set_target(std::string(view(parser.get().target())), where.ok() ? where->host : "");
    if (!allow_connect_) {
      co_return co_await refuse(audit, http::status::bad_request, "CONNECT inside a tunnel");
    }
    if (!where.ok()) {
      co_return co_await refuse(audit, http::status::bad_request, where.error().message);
    }
    static constexpr std::string_view kEstablished = "HTTP/1.1 200 Connection established\r\n\r\n";
    lowest(client_).expires_after(timeouts().idle_transfer);
    auto [ec, n] = co_await asio::async_write(client_, asio::buffer(kEstablished), kUseTuple);
    if (ec) co_return Next::kClose;
    // Audited as a tunnel; every request inside it is judged and audited on its own.
    audit.finish(requestlog::Decision::kAllow, 0, "tunnel");
    tunnel_ = std::move(*where);
    co_return Next::kClose;
  }

  awaitable<Next> deny(RequestParser& parser, const Destination& destination, RequestAudit& audit) {
    const bool keep_alive = parser.is_done() && parser.get().keep_alive();
    audit.finish(requestlog::Decision::kDeny, 0);
    const auto body = deny_text(view(parser.get().method_string()), destination);
    const error_code ec =
        co_await send(text_response(static_cast<int>(http::status::forbidden), body, keep_alive));
    co_return keep_alive && !ec ? Next::kContinue : Next::kClose;
  }

  static std::string deny_text(std::string_view method, const Destination& destination);

  awaitable<Next> forward(RequestParser& parser, const Destination& destination,
                          RequestAudit& audit);
  awaitable<Next> relay_response(RequestParser& parser, RequestAudit& audit, bool websocket);
  awaitable<error_code> read_response_head(std::optional<ResponseParser>& response, bool head);
  awaitable<Next> tunnel_websocket(ResponseParser& response, RequestAudit& audit);
  // `failure` by value: GCC 12 may destroy a temporary argument of a coroutine call inside a
  // co_await expression before the coroutine is done with it (ASan caught a use-after-free).
  awaitable<Next> fail_upstream(RequestAudit& audit, UpstreamFailure failure) {
    upstream_.close();
    audit.finish(requestlog::Decision::kError, 0, failure.reason);
    co_await send(text_response(failure.status, failure.reason + "\n", false));
    co_return Next::kClose;
  }

  Client& client_;
  beast::flat_buffer& buffer_;
  ConnectionDefaults defaults_;
  const ProxyContext& context_;
  bool allow_connect_;
  Upstream upstream_;
  bool reuse_upstream_ = true;  // false: the request's body rule forbids keeping the upstream
  std::optional<HostPort> tunnel_;
};

}  // namespace jk::launcher::proxy

#include "launcher/proxy/http_session_impl.h"  // IWYU pragma: keep
