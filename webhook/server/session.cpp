#include "webhook/server/session.h"

#include <algorithm>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <memory_resource>
#include <optional>
#include <string>

#include "common/buffer_pool.h"
#include "common/log.h"
#include "webhook/server/json_cost.h"
#include "webhook/server/request_head.h"
#include "webhook/server/response_head.h"
#include "webhook/server/server_stream.h"

namespace jk::server {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;

constexpr int kFirstStatus = 100;
constexpr int kLastStatus = 599;
constexpr int kInternalError = 500;
constexpr unsigned kHttp11 = 11;
constexpr std::size_t kReadChunk = 4096;    // header reads; the buffer grows to max_header_bytes
constexpr std::size_t kLingerChunk = 4096;  // dropped input after our close
constexpr std::size_t kFieldArenaBytes = 2048;  // a request's header fields, usually enough

// A request's header fields come from an arena over a reused buffer (no allocation per field).
using FieldAllocator = std::pmr::polymorphic_allocator<char>;
using RequestParser = http::request_parser<http::string_body, FieldAllocator>;
constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
constexpr std::size_t kResponseHeadRoom = 256;  // status line and our five fields

std::string_view view(beast::string_view s) { return {s.data(), s.size()}; }

bool is_http_error(const error_code& ec) {
  return ec.category() == http::make_error_code(http::error::bad_target).category();
}

// A client that went away: not worth a response or more than a debug line.
bool is_disconnect(const error_code& ec) {
  return ec == http::error::end_of_stream || ec == http::error::partial_message ||
         ec == asio::error::eof || ec == asio::ssl::error::stream_truncated ||
         ec == asio::error::connection_reset || ec == asio::error::broken_pipe;
}

HttpResponse plain_text(http::status status, std::string body) {
  return HttpResponse{static_cast<int>(status), "text/plain; charset=utf-8", std::move(body)};
}

class HttpSession : public Drainable, public std::enable_shared_from_this<HttpSession> {
 public:
  template <class F>
  auto bind(F f) {
    return beast::bind_front_handler(f, shared_from_this());
  }

  HttpSession(SessionSocket socket, std::shared_ptr<ssl::context> context, const SessionEnv& env,
              ConnectionTracker::Ticket ticket)
      : stream_(std::move(socket), std::move(context)),
        env_(env),
        ticket_(std::move(ticket)),
        deadline_(stream_.get_executor()),
        buffer_(env.limits.max_header_bytes) {}

  void run() {
    ticket_.attach(weak_from_this());
    asio::dispatch(stream_.get_executor(), bind(&HttpSession::start));
  }

  void close_when_idle(bool fresh_too) override {
    asio::dispatch(stream_.get_executor(),
                   [self = shared_from_this(), fresh_too] { self->on_close_when_idle(fresh_too); });
  }

 private:
  // kAwaitBytes: TLS connection accepted, nothing received yet. kAwaitRequest: waiting for a
  // request head (the first one when served_ == 0).
  enum class State {
    kAwaitBytes,
    kHandshake,
    kAwaitRequest,
    kReading,
    kHandling,
    kWriting,
    kClosing
  };
  // Why pending I/O was cancelled.
  enum class Interrupt { kNone, kTimeout, kCloseIdle };

  // --- deadlines --------------------------------------------------------------------------

  // One deadline per phase, but not one timer operation per phase: re-arming a waiting timer
  // cancels its wait (a completion and a new wait; it was three per request). The timer waits
  // for the deadline but never longer than the shortest request-phase timeout (or 1 s), waking
  // up to wait again for the rest; a new phase's deadline is then never earlier than the timer's
  // expiry (read and write phases), and only the shorter handshake/linger timeouts re-arm it.
  void arm(std::chrono::milliseconds timeout) {
    deadline_at_ = std::chrono::steady_clock::now() + timeout;
    if (timer_waiting_ && deadline_.expiry() <= deadline_at_) return;
    wait_for_deadline();
  }

  void wait_for_deadline() {
    // At least a second: a millisecond read timeout must not wake an idle connection every
    // millisecond (a shorter deadline is still kept: arm() re-arms for it).
    const auto step = std::max<std::chrono::milliseconds>(
        std::min(env_.limits.read_timeout, env_.limits.write_timeout), std::chrono::seconds(1));
    deadline_.expires_at(std::min(deadline_at_, std::chrono::steady_clock::now() + step));
    timer_waiting_ = true;  // expires_at completed any pending wait with operation_aborted
    deadline_.async_wait([self = shared_from_this(), wait = ++timer_waits_](const error_code& ec) {
      if (wait != self->timer_waits_) return;  // superseded by a later wait
      self->timer_waiting_ = false;
      if (ec) return;  // cancelled: the session closed
      if (std::chrono::steady_clock::now() < self->deadline_at_) return self->wait_for_deadline();
      self->interrupt(Interrupt::kTimeout);
    });
  }

  void interrupt(Interrupt why) {
    if (state_ == State::kClosing && why == Interrupt::kTimeout) return close_now();
    interrupt_ = why;
    error_code ignored;
    stream_.socket().cancel(ignored);  // pending operations complete with operation_aborted
  }

  // An operation failed: the right ending for each reason.
  void on_failed(const error_code& ec, std::string_view op) {
    if (interrupt_ == Interrupt::kCloseIdle) return graceful_close();
    if (interrupt_ == Interrupt::kTimeout) return fail(asio::error::timed_out, op);
    fail(ec, op);
  }

  // --- connection start -------------------------------------------------------------------

  void start() {
    if (!stream_.is_tls()) return read_request();
    // Wait for the first byte before the handshake: until then the connection is idle and can
    // be reclaimed under a flood of connections that never send anything.
    state_ = State::kAwaitBytes;
    ticket_.set_idle(true);
    arm(env_.limits.handshake_timeout);
    stream_.socket().async_wait(tcp::socket::wait_read, bind(&HttpSession::on_first_bytes));
  }

  void on_first_bytes(error_code ec) {
    ticket_.set_idle(false);
    if (ec) {
      if (interrupt_ == Interrupt::kTimeout) env_.metrics.tls_handshake_failures.inc();
      return interrupt_ == Interrupt::kCloseIdle ? close_now() : on_failed(ec, "handshake");
    }
    state_ = State::kHandshake;
    stream_.async_handshake(bind(&HttpSession::on_handshake));
  }

  void on_handshake(error_code ec, std::size_t /*bytes*/) {
    if (ec) {
      env_.metrics.tls_handshake_failures.inc();
      return on_failed(ec, "handshake");
    }
    read_request();
  }

  // --- request head -----------------------------------------------------------------------

  void read_request() {
    // Asked to close while busy: after the answer. A connection that has not had its first
    // request yet still gets it answered (its client may be writing it right now).
    if (close_requested_ && served_ > 0) return graceful_close();
    state_ = State::kAwaitRequest;
    interrupt_ = Interrupt::kNone;
    searched_ = 0;
    if (buffer_.size() == 0) ticket_.set_idle(true);
    arm(served_ == 0 ? env_.limits.read_timeout : env_.limits.idle_timeout);
    read_head();
  }

  void read_head() {
    const std::string_view received(static_cast<const char*>(buffer_.data().data()),
                                    buffer_.size());
    if (const auto size = head_size(received, searched_)) return on_head(*size);
    searched_ = received.size();
    if (buffer_.size() >= buffer_.max_size()) {
      return refuse(http::status::request_header_fields_too_large,
                    "request header exceeds the limit of " +
                        std::to_string(env_.limits.max_header_bytes) + " bytes\n");
    }
    const std::size_t room = buffer_.max_size() - buffer_.size();
    stream_.async_read_some(buffer_.prepare(std::min(room, kReadChunk)),
                            bind(&HttpSession::on_head_bytes));
  }

  void on_head_bytes(error_code ec, std::size_t bytes) {
    ticket_.set_idle(false);
    if (ec) {
      // The client closed its keep-alive connection: the normal end.
      if (is_disconnect(ec) && buffer_.size() == 0 && interrupt_ == Interrupt::kNone) {
        return close_now();
      }
      return on_failed(ec, "read header");
    }
    buffer_.commit(bytes);
    read_head();
  }

  void on_head(std::size_t size) {
    ticket_.set_idle(false);
    state_ = State::kReading;
    const std::string_view head(static_cast<const char*>(buffer_.data().data()), size);
    if (has_obs_fold(head)) {
      return refuse(http::status::bad_request,
                    "malformed request: obsolete line folding (RFC 9112 5.2) is not accepted\n");
    }
    // The request's memory: fields in an arena over a reused buffer, the body in another
    // (given back by end_exchange()).
    field_memory_ = take_buffer();
    field_memory_.resize(std::max(field_memory_.capacity(), kFieldArenaBytes));
    field_arena_.emplace(field_memory_.data(), field_memory_.size());
    parser_.emplace(std::piecewise_construct, std::make_tuple(take_buffer()),
                    std::make_tuple(FieldAllocator(&*field_arena_)));
    parser_->body_limit(env_.limits.max_body_bytes);
    parser_->header_limit(env_.limits.max_header_bytes);
    error_code ec;
    const std::size_t used = parser_->put(asio::buffer(head.data(), head.size()), ec);
    buffer_.consume(used);
    if (!ec && (!parser_->is_header_done() || used != size)) ec = http::error::bad_line_ending;
    if (ec) return on_read_error(ec);
    if (parser_->is_done()) return handle();
    take_body();
  }

  // --- request body -----------------------------------------------------------------------

  // The body's bytes come out of the budget before any is read: Content-Length, or the limit
  // for a chunked body.
  void take_body() {
    const auto& req = parser_->get();
    const std::uint64_t length = parser_->content_length().value_or(env_.limits.max_body_bytes);
    auto lease = env_.budget.try_acquire(length);
    if (!lease) return refuse_busy(length);
    lease_.emplace(std::move(*lease));
    const bool expect =
        req.version() >= kHttp11 && expects_continue(view(req[http::field::expect]));
    if (!expect) return read_body();
    arm(env_.limits.write_timeout);
    asio::async_write(stream_, asio::buffer(kContinue.data(), kContinue.size()),
                      bind(&HttpSession::on_continue_sent));
  }

  void on_continue_sent(error_code ec, std::size_t /*bytes*/) {
    if (ec) return on_failed(ec, "write 100 Continue");
    read_body();
  }

  void read_body() {
    arm(env_.limits.read_timeout);
    http::async_read(stream_, buffer_, *parser_, bind(&HttpSession::on_body));
  }

  void on_body(error_code ec, std::size_t /*bytes*/) {
    if (ec) return on_read_error(ec);
    handle();
  }

  void on_read_error(const error_code& ec) {
    if (ec == http::error::body_limit) {
      return refuse(http::status::payload_too_large,
                    "request body exceeds the limit of " +
                        std::to_string(env_.limits.max_body_bytes) + " bytes\n");
    }
    if (ec == http::error::header_limit) {
      return refuse(http::status::request_header_fields_too_large,
                    "request header exceeds the limit of " +
                        std::to_string(env_.limits.max_header_bytes) + " bytes\n");
    }
    if (is_http_error(ec) && ec != http::error::partial_message) {
      return refuse(http::status::bad_request, "malformed request: " + ec.message() + "\n");
    }
    on_failed(ec, "read body");
  }

  // --- handling ---------------------------------------------------------------------------

  void handle() {
    state_ = State::kHandling;
    const auto& req = parser_->get();
    if (!req.body().empty() && !reserve_decoding(req.body())) return;
    const HttpRequest request{view(req.method_string()), view(req.target()),
                              view(req[http::field::content_type]), req.body()};
    send(respond(request), req.keep_alive(), req.version());
  }

  // Decoding the body costs memory too (a JSON DOM, up to ~35x the text): the lease grows by
  // that before the handler runs. False when answered already.
  bool reserve_decoding(std::string_view body) {
    const std::uint64_t cost = decode_cost(body);
    if (lease_->bytes() + cost > env_.budget.largest_lease()) {
      refuse(http::status::payload_too_large,
             "request body needs " + std::to_string(lease_->bytes() + cost) +
                 " bytes of memory to decode, more than the request memory budget allows (" +
                 std::to_string(env_.budget.largest_lease()) + " bytes)\n");
      return false;
    }
    if (!lease_->try_grow(cost)) {
      refuse_busy(lease_->bytes() + cost);
      return false;
    }
    return true;
  }

  HttpResponse respond(const HttpRequest& request) {
    try {
      return env_.respond(request);
    } catch (const std::exception& e) {
      log::error("request handler threw", {{"target", request.target}, {"error", e.what()}});
      return plain_text(http::status::internal_server_error, "internal error\n");
    }
  }

  // --- answers ----------------------------------------------------------------------------

  // An answer after which the rest of the request is not read: the connection closes
  // (lingering, so that the answer arrives even while the client is still sending).
  void refuse(http::status status, std::string body) {
    send(plain_text(status, std::move(body)), false, kHttp11);
  }

  void refuse_busy(std::uint64_t bytes) {
    env_.metrics.budget_refusals.inc();
    response_extra_retry_ = true;
    refuse(http::status::service_unavailable,
           "server busy: requests in flight hold the request memory budget (" +
               std::to_string(env_.budget.capacity()) + " bytes); this one needs " +
               std::to_string(bytes) + "\n");
  }

  // The answer goes out as one buffer, head and body (one TLS record where it fits).
  void send(HttpResponse out, bool keep_alive, unsigned version) {
    const int status =
        out.status < kFirstStatus || out.status > kLastStatus ? kInternalError : out.status;
    keep_alive_ = keep_alive && !env_.tracker.draining() && !close_requested_ &&
                  interrupt_ != Interrupt::kCloseIdle;
    const bool body = status_allows_body(status);
    wire_ = take_buffer();
    wire_.reserve(kResponseHeadRoom + out.body.size());
    append_response_head(wire_, ResponseHead{status, version, out.content_type, keep_alive_,
                                             response_extra_retry_, out.body.size()});
    if (body) wire_.append(out.body);
    give_buffer(std::move(out.body));
    if (env_.count_requests) env_.metrics.requests.with({std::to_string(status)}).inc();
    state_ = State::kWriting;
    arm(env_.limits.write_timeout);
    asio::async_write(stream_, asio::buffer(wire_), bind(&HttpSession::on_write));
  }

  void on_write(error_code ec, std::size_t /*bytes*/) {
    end_exchange();
    ++served_;
    if (ec) return on_failed(ec, "write");
    if (!keep_alive_) return graceful_close();
    // A read buffer that grew for a large head goes; the usual one stays for the next request.
    if (buffer_.size() == 0 && buffer_.capacity() > kReadChunk) buffer_.shrink_to_fit();
    read_request();
  }

  // Nothing of the request outlives its answer: its buffers go back to the thread's store (an
  // idle connection holds no body, fields, answer or lease).
  void end_exchange() {
    if (parser_) give_buffer(std::move(parser_->get().body()));
    parser_.reset();  // its fields go before the arena they live in
    field_arena_.reset();
    give_buffer(std::move(field_memory_));
    give_buffer(std::move(wire_));
    lease_.reset();
    response_extra_retry_ = false;
  }

  // --- closing ----------------------------------------------------------------------------

  void on_close_when_idle(bool fresh_too) {
    if (state_ == State::kClosing || !stream_.is_open()) return;
    close_requested_ = true;  // a busy session closes after its answer
    const bool nothing_received = buffer_.size() == 0 && stream_.nothing_pending();
    const bool idle =
        (state_ == State::kAwaitBytes && fresh_too) ||
        (state_ == State::kAwaitRequest && nothing_received && (served_ > 0 || fresh_too));
    if (idle) interrupt(Interrupt::kCloseIdle);
  }

  // Lingering close: close_notify, FIN, then read and drop what still comes (the rest of a
  // refused body) until the client closes or linger_timeout passes.
  void graceful_close() {
    if (state_ == State::kClosing) return;
    state_ = State::kClosing;
    interrupt_ = Interrupt::kNone;
    ticket_.set_idle(false);
    arm(env_.limits.write_timeout);
    stream_.async_close_notify(bind(&HttpSession::on_close_notify));
  }

  void on_close_notify(error_code ec, std::size_t /*bytes*/) {
    if (ec && !is_disconnect(ec) && ec != asio::error::operation_aborted) fail(ec, "shutdown");
    if (!stream_.is_open()) return;
    stream_.shutdown_send();
    arm(env_.limits.linger_timeout);
    linger_buffer_ = std::make_unique<char[]>(kLingerChunk);
    linger();
  }

  void linger() {
    stream_.socket().async_read_some(asio::buffer(linger_buffer_.get(), kLingerChunk),
                                     bind(&HttpSession::on_linger));
  }

  void on_linger(error_code ec, std::size_t /*bytes*/) {
    if (ec) return close_now();  // the client closed, or the linger time is over
    linger();
  }

  void close_now() {
    state_ = State::kClosing;
    deadline_.cancel();
    stream_.close();
  }

  void fail(const error_code& ec, std::string_view what) {
    if (!failed_) {
      failed_ = true;
      log::debug("connection failed",
                 {{"op", what}, {"error", ec.message()}, {"tls", stream_.is_tls()}});
    }
    close_now();
  }

  ServerStream stream_;
  const SessionEnv& env_;
  ConnectionTracker::Ticket ticket_;
  SessionTimer deadline_;
  std::chrono::steady_clock::time_point deadline_at_;  // of the current phase (arm())
  std::uint64_t timer_waits_ = 0;                      // identifies the latest wait
  bool timer_waiting_ = false;
  beast::flat_buffer buffer_;  // at most max_header_bytes
  // One exchange (request and answer); the members come from and go back to the thread's
  // buffer store (end_exchange()). Declared in this order so that the parser, whose fields live
  // in the arena, goes first.
  std::string field_memory_;
  std::optional<std::pmr::monotonic_buffer_resource> field_arena_;
  std::optional<RequestParser> parser_;
  std::string wire_;  // the answer as written
  bool keep_alive_ = false;
  std::optional<RequestBudget::Lease> lease_;
  std::unique_ptr<char[]> linger_buffer_;  // only while lingering
  std::size_t searched_ = 0;               // head bytes searched for the end of the head
  std::uint64_t served_ = 0;
  State state_ = State::kAwaitRequest;
  Interrupt interrupt_ = Interrupt::kNone;
  bool close_requested_ = false;
  bool response_extra_retry_ = false;
  bool failed_ = false;
};

}  // namespace

void start_session(SessionSocket socket, std::shared_ptr<ssl::context> context,
                   const SessionEnv& env, ConnectionTracker::Ticket ticket) {
  std::make_shared<HttpSession>(std::move(socket), std::move(context), env, std::move(ticket))
      ->run();
}

}  // namespace jk::server
