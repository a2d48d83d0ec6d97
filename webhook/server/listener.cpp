#include "webhook/server/listener.h"

#include <boost/asio/strand.hpp>

#include "common/log.h"
#include "common/strings.h"

namespace jk::server {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;

// At most one "connection limit reached" warning per interval; the metric counts them all.
constexpr std::chrono::seconds kRejectLogInterval{10};
// After a failed accept (out of descriptors, ...) wait before retrying instead of spinning.
constexpr std::chrono::milliseconds kAcceptRetryDelay{100};

std::string endpoint_text(const tcp::endpoint& endpoint) {
  const std::string host = endpoint.address().to_string();
  const std::string port = std::to_string(endpoint.port());
  return endpoint.address().is_v6() ? "[" + host + "]:" + port : host + ":" + port;
}

}  // namespace

Result<tcp::acceptor> open_acceptor(const asio::any_io_executor& executor,
                                    std::string_view listen) {
  const std::string context = "listen " + std::string(listen);
  const auto host_port = parse_host_port(listen);
  if (!host_port) return make_error(context + ": expected host:port");
  error_code ec;
  const auto address = asio::ip::make_address(host_port->host, ec);
  if (ec) return make_error(context + ": " + ec.message());
  const tcp::endpoint endpoint(address, host_port->port);
  tcp::acceptor acceptor(executor);
  if (acceptor.open(endpoint.protocol(), ec); ec) return make_error(context + ": " + ec.message());
  if (acceptor.set_option(asio::socket_base::reuse_address(true), ec); ec) {
    return make_error(context + ": " + ec.message());
  }
  if (acceptor.bind(endpoint, ec); ec) return make_error(context + ": " + ec.message());
  if (acceptor.listen(asio::socket_base::max_listen_connections, ec); ec) {
    return make_error(context + ": " + ec.message());
  }
  return acceptor;
}

Listener::Listener(std::string name, tcp::acceptor acceptor,
                   asio::io_context::executor_type io_executor, ConnectionTracker& tracker,
                   OnConnection on_connection)
    : name_(std::move(name)),
      acceptor_(std::move(acceptor)),
      retry_timer_(acceptor_.get_executor()),
      io_executor_(std::move(io_executor)),
      tracker_(tracker),
      on_connection_(std::move(on_connection)) {
  error_code ec;
  port_ = acceptor_.local_endpoint(ec).port();
}

void Listener::start() {
  error_code ec;
  log::info("listening",
            {{"listener", name_}, {"addr", endpoint_text(acceptor_.local_endpoint(ec))}});
  accept();
}

void Listener::close() {
  // Connections the kernel completed but nobody accepted yet would be reset by the close: take
  // them first (each still gets its one request answered).
  error_code ec;
  acceptor_.non_blocking(true, ec);
  while (!ec) {
    SessionSocket socket(asio::make_strand(io_executor_));
    acceptor_.accept(socket, ec);
    if (!ec) admit(std::move(socket));
  }
  acceptor_.close(ec);
  retry_timer_.cancel();
}

void Listener::admit(SessionSocket socket) {
  if (auto ticket = tracker_.try_admit()) {
    on_connection_(std::move(socket), std::move(*ticket));
  } else {
    reject(socket);
  }
}

void Listener::accept() {
  acceptor_.async_accept(
      asio::make_strand(io_executor_),
      [this](const error_code& ec, SessionSocket socket) { on_accept(ec, std::move(socket)); });
}

void Listener::on_accept(const error_code& ec, SessionSocket socket) {
  if (!acceptor_.is_open()) return;
  if (ec) {
    log::warn("accept failed", {{"listener", name_}, {"error", ec.message()}});
    retry_timer_.expires_after(kAcceptRetryDelay);
    retry_timer_.async_wait([this](const error_code& wait_ec) {
      if (!wait_ec && acceptor_.is_open()) accept();
    });
    return;
  }
  admit(std::move(socket));
  accept();
}

// Every connection of this listener is busy (none idle to reclaim): the new one is closed.
void Listener::reject(SessionSocket& socket) {
  error_code ignored;
  socket.close(ignored);
  ++rejected_;
  const auto now = std::chrono::steady_clock::now();
  if (now - last_reject_log_ < kRejectLogInterval) return;
  last_reject_log_ = now;
  log::warn("connection limit reached and no connection idle, closing new connections",
            {{"listener", name_}, {"open", tracker_.count()}, {"rejected_total", rejected_}});
}

}  // namespace jk::server
