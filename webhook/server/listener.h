#pragma once
// Accepts connections on one bound socket and hands each to a session. The listener's own
// ConnectionTracker admits them (reclaiming an idle connection at the limit); a connection it
// cannot admit is closed at once.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "common/result.h"
#include "webhook/server/connection_tracker.h"
#include "webhook/server/session_socket.h"

namespace jk::server {

// Opens, binds and listens. Errors read "listen 0.0.0.0:8443: Address already in use".
Result<boost::asio::ip::tcp::acceptor> open_acceptor(const boost::asio::any_io_executor& executor,
                                                     std::string_view listen);

class Listener {
 public:
  using OnConnection = std::function<void(SessionSocket, ConnectionTracker::Ticket)>;
  // `acceptor` runs on a strand; sessions get their own strand on `io_executor`.
  Listener(std::string name, boost::asio::ip::tcp::acceptor acceptor,
           boost::asio::io_context::executor_type io_executor, ConnectionTracker& tracker,
           OnConnection on_connection);

  [[nodiscard]] std::uint16_t port() const { return port_; }
  // Logs "listening" and starts accepting. Call on the acceptor's strand.
  void start();
  // Stops accepting (after admitting the connections already queued). Call on the acceptor's
  // strand.
  void close();

 private:
  void accept();
  void on_accept(const boost::system::error_code& ec, SessionSocket socket);
  void admit(SessionSocket socket);
  void reject(SessionSocket& socket);

  std::string name_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer retry_timer_;  // backs off after accept errors (e.g. EMFILE)
  boost::asio::io_context::executor_type io_executor_;
  ConnectionTracker& tracker_;
  OnConnection on_connection_;
  std::uint64_t rejected_ = 0;
  std::uint16_t port_ = 0;
  std::chrono::steady_clock::time_point last_reject_log_{};
};

}  // namespace jk::server
