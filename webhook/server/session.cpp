#include "webhook/server/session.h"

#include <openssl/ssl.h>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <optional>
#include <string>
#include <type_traits>

#include "common/log.h"

namespace jk::server {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;
using TlsStream = ssl::stream<beast::tcp_stream>;

constexpr int kFirstStatus = 100;
constexpr int kLastStatus = 599;
constexpr int kInternalError = 500;

std::string_view view(beast::string_view s) { return {s.data(), s.size()}; }

bool is_http_error(const error_code& ec) {
  return ec.category() == http::make_error_code(http::error::bad_target).category();
}

// A client that went away: not worth a response or more than a debug line.
bool is_disconnect(const error_code& ec) {
  return ec == http::error::end_of_stream || ec == http::error::partial_message ||
         ec == asio::error::eof || ec == asio::ssl::error::stream_truncated ||
         ec == asio::error::connection_reset;
}

handler::HttpResponse plain_text(int status, std::string body) {
  return handler::HttpResponse{status, "text/plain; charset=utf-8", std::move(body)};
}

template <class Stream>
class HttpSession : public Drainable, public std::enable_shared_from_this<HttpSession<Stream>> {
  static constexpr bool kTls = std::is_same_v<Stream, TlsStream>;

 public:
  HttpSession(tcp::socket socket, std::shared_ptr<ssl::context> context, const SessionEnv& env,
              ConnectionTracker::Ticket ticket)
      : context_(std::move(context)),
        stream_(make_stream(std::move(socket))),
        env_(env),
        ticket_(std::move(ticket)) {}

  void run() {
    ticket_.attach(this->weak_from_this());
    asio::dispatch(stream_.get_executor(),
                   beast::bind_front_handler(&HttpSession::start, this->shared_from_this()));
  }

  void drain() override {
    asio::dispatch(stream_.get_executor(),
                   beast::bind_front_handler(&HttpSession::on_drain, this->shared_from_this()));
  }

 private:
  enum class State { kHandshake, kIdle, kReading, kHandling, kWriting, kClosing };

  Stream make_stream(tcp::socket socket) {
    if constexpr (kTls) {
      return Stream(std::move(socket), *context_);
    } else {
      return Stream(std::move(socket));
    }
  }

  beast::tcp_stream& lowest() { return beast::get_lowest_layer(stream_); }

  void start() {
    if constexpr (kTls) {
      state_ = State::kHandshake;
      lowest().expires_after(env_.limits.handshake_timeout);
      stream_.async_handshake(
          ssl::stream_base::server,
          beast::bind_front_handler(&HttpSession::on_handshake, this->shared_from_this()));
    } else {
      read_request();
    }
  }

  void on_handshake(error_code ec) {
    if (ec) {
      env_.metrics.tls_handshake_failures.inc();
      return fail(ec, "handshake");
    }
    read_request();
  }

  void read_request() {
    if (env_.tracker.draining()) return close();
    parser_.emplace();
    parser_->body_limit(env_.limits.max_body_bytes);
    parser_->header_limit(env_.limits.max_header_bytes);
    state_ = State::kIdle;
    lowest().expires_after(first_ ? env_.limits.read_timeout : env_.limits.idle_timeout);
    http::async_read_header(
        stream_, buffer_, *parser_,
        beast::bind_front_handler(&HttpSession::on_header, this->shared_from_this()));
  }

  void on_header(error_code ec, std::size_t /*bytes*/) {
    if (ec) return on_read_error(ec);
    state_ = State::kReading;
    lowest().expires_after(env_.limits.read_timeout);
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&HttpSession::on_body, this->shared_from_this()));
  }

  void on_body(error_code ec, std::size_t /*bytes*/) {
    if (ec) return on_read_error(ec);
    first_ = false;
    state_ = State::kHandling;
    const auto& req = parser_->get();
    const handler::HttpRequest request{view(req.method_string()), view(req.target()),
                                       view(req[http::field::content_type]), req.body()};
    send(respond(request), req.keep_alive(), req.version());
  }

  handler::HttpResponse respond(const handler::HttpRequest& request) {
    try {
      return env_.respond(request);
    } catch (const std::exception& e) {
      log::error("request handler threw", {{"target", request.target}, {"error", e.what()}});
      return plain_text(kInternalError, "internal error\n");
    }
  }

  void on_read_error(const error_code& ec) {
    if (ec == http::error::body_limit) {
      return send(plain_text(static_cast<int>(http::status::payload_too_large),
                             "request body exceeds the limit of " +
                                 std::to_string(env_.limits.max_body_bytes) + " bytes\n"),
                  false, kHttp11);
    }
    if (ec == http::error::header_limit) {
      return send(plain_text(static_cast<int>(http::status::request_header_fields_too_large),
                             "request header exceeds the limit of " +
                                 std::to_string(env_.limits.max_header_bytes) + " bytes\n"),
                  false, kHttp11);
    }
    if (ec == http::error::end_of_stream) return close();
    if (is_http_error(ec) && ec != http::error::partial_message) {
      return send(plain_text(static_cast<int>(http::status::bad_request),
                             "malformed request: " + ec.message() + "\n"),
                  false, kHttp11);
    }
    fail(ec, state_ == State::kIdle ? "read header" : "read body");
  }

  void send(handler::HttpResponse out, bool keep_alive, unsigned version) {
    const int status =
        out.status < kFirstStatus || out.status > kLastStatus ? kInternalError : out.status;
    response_ = {};
    response_.result(static_cast<unsigned>(status));
    response_.version(version);
    response_.set(http::field::server, "jailkeeper");
    response_.set(http::field::content_type, out.content_type);
    response_.body() = std::move(out.body);
    response_.keep_alive(keep_alive && !env_.tracker.draining());
    response_.prepare_payload();
    if (env_.count_requests) env_.metrics.requests.with({std::to_string(status)}).inc();
    state_ = State::kWriting;
    lowest().expires_after(env_.limits.write_timeout);
    http::async_write(stream_, response_,
                      beast::bind_front_handler(&HttpSession::on_write, this->shared_from_this()));
  }

  void on_write(error_code ec, std::size_t /*bytes*/) {
    if (ec) return fail(ec, "write");
    if (!response_.keep_alive()) return close();
    read_request();
  }

  // Graceful close: TLS close_notify (bounded by write_timeout) or a TCP half-close. The
  // peer's close_notify is not awaited (marked as received), so a client that keeps the
  // socket open after a `Connection: close` response cannot hold the session, or a drain.
  void close() {
    state_ = State::kClosing;
    if constexpr (kTls) {
      SSL_set_shutdown(stream_.native_handle(), SSL_RECEIVED_SHUTDOWN);
      lowest().expires_after(env_.limits.write_timeout);
      stream_.async_shutdown(
          beast::bind_front_handler(&HttpSession::on_shutdown, this->shared_from_this()));
    } else {
      error_code ignored;
      lowest().socket().shutdown(tcp::socket::shutdown_send, ignored);
    }
  }

  void on_shutdown(error_code ec) {
    if (ec && !is_disconnect(ec)) fail(ec, "shutdown");
    lowest().close();
  }

  // Draining: an idle keep-alive connection (nothing received of the next request) or an
  // unfinished handshake is closed now; a request in flight is answered with Connection: close.
  void on_drain() {
    const bool idle =
        state_ == State::kIdle && parser_ && !parser_->got_some() && buffer_.size() == 0;
    if (idle || state_ == State::kHandshake) lowest().close();
  }

  void fail(const error_code& ec, std::string_view what) {
    if (failed_) return;
    failed_ = true;
    log::debug("connection failed", {{"op", what}, {"error", ec.message()}, {"tls", kTls}});
  }

  static constexpr unsigned kHttp11 = 11;

  std::shared_ptr<ssl::context> context_;  // before stream_: the stream uses it
  Stream stream_;
  const SessionEnv& env_;
  ConnectionTracker::Ticket ticket_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  http::response<http::string_body> response_;
  State state_ = State::kIdle;
  bool first_ = true;
  bool failed_ = false;
};

}  // namespace

void start_plain_session(tcp::socket socket, const SessionEnv& env,
                         ConnectionTracker::Ticket ticket) {
  std::make_shared<HttpSession<beast::tcp_stream>>(std::move(socket), nullptr, env,
                                                   std::move(ticket))
      ->run();
}

void start_tls_session(tcp::socket socket, std::shared_ptr<ssl::context> context,
                       const SessionEnv& env, ConnectionTracker::Ticket ticket) {
  std::make_shared<HttpSession<TlsStream>>(std::move(socket), std::move(context), env,
                                           std::move(ticket))
      ->run();
}

}  // namespace jk::server
