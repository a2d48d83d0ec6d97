#pragma once
// One accepted connection: TCP, optionally TLS through OpenSSL working on the socket itself.
//
// Why not asio::ssl::stream: it gives every connection two fixed 17 KiB buffers of its own plus
// a 2 x 17 KiB BIO pair, ~68 KiB that an idle keep-alive connection holds for as long as it is
// open (2,000 connections: ~170 MB). Here OpenSSL reads and writes the non-blocking socket
// directly and, with SSL_MODE_RELEASE_BUFFERS, an idle connection keeps no record buffer at
// all; readiness comes from the socket's async_wait (bench/README.md "Robustness").
//
// Satisfies Beast's AsyncStream (async_read_some/async_write_some, one of each at a time). Every
// SSL call happens on the socket's executor (the session's strand); after close() no SSL call
// is made, since the descriptor number may already belong to another connection.
#include <openssl/ssl.h>

#include <boost/asio/append.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/compose.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <cstddef>
#include <memory>

#include "webhook/server/session_socket.h"

namespace jk::server {

class ServerStream {
 public:
  using executor_type = SessionSocket::executor_type;

  // Plain TCP when `context` is null; TLS (server side, handshake by async_handshake) otherwise.
  ServerStream(SessionSocket socket, std::shared_ptr<boost::asio::ssl::context> context);
  ~ServerStream();
  ServerStream(const ServerStream&) = delete;
  ServerStream& operator=(const ServerStream&) = delete;

  executor_type get_executor() { return socket_.get_executor(); }
  SessionSocket& socket() { return socket_; }
  [[nodiscard]] bool is_tls() const { return context_ != nullptr; }
  [[nodiscard]] bool is_open() const { return open_; }

  // True when the peer has sent nothing that is still unread: nothing in the kernel's receive
  // queue and nothing buffered inside OpenSSL (a partial record counts as something).
  [[nodiscard]] bool nothing_pending();
  // Closes the socket (pending operations complete with operation_aborted); idempotent.
  void close();
  // Sends FIN: the peer reads everything written so far, then end of stream.
  void shutdown_send();

  template <class MutableBuffers, class Handler>
  void async_read_some(const MutableBuffers& buffers, Handler&& handler) {
    if (!is_tls()) return socket_.async_read_some(buffers, std::forward<Handler>(handler));
    const auto first = first_buffer(boost::asio::buffer_sequence_begin(buffers),
                                    boost::asio::buffer_sequence_end(buffers));
    start(Call::kRead, first.data(), first.size(), std::forward<Handler>(handler));
  }

  template <class ConstBuffers, class Handler>
  void async_write_some(const ConstBuffers& buffers, Handler&& handler) {
    if (!is_tls()) return socket_.async_write_some(buffers, std::forward<Handler>(handler));
    // One TLS record per call, from the first buffer that holds bytes: the session writes each
    // answer as one buffer, and async_write comes back for the rest of any other sequence.
    const auto first = first_buffer(boost::asio::buffer_sequence_begin(buffers),
                                    boost::asio::buffer_sequence_end(buffers));
    start(Call::kWrite, const_cast<void*>(first.data()), first.size(),
          std::forward<Handler>(handler));
  }

  // The TLS handshake; completes at once (posted) on a plain stream. Handler: (error_code, size_t).
  template <class Handler>
  void async_handshake(Handler&& handler) {
    start(is_tls() ? Call::kHandshake : Call::kNone, nullptr, 0, std::forward<Handler>(handler));
  }

  // Sends TLS close_notify (without waiting for the peer's) when the session is healthy;
  // completes at once otherwise and on a plain stream. Handler: (error_code, size_t).
  template <class Handler>
  void async_close_notify(Handler&& handler) {
    start(is_tls() ? Call::kShutdown : Call::kNone, nullptr, 0, std::forward<Handler>(handler));
  }

 private:
  enum class Call { kNone, kRead, kWrite, kHandshake, kShutdown };
  enum class Want { kNothing, kRead, kWrite };
  struct Attempt {
    boost::system::error_code ec;
    std::size_t bytes = 0;
    Want want = Want::kNothing;
  };

  // One SSL call, retried after the socket becomes readable/writable until it completes.
  struct Op {
    ServerStream* stream;
    Call call;
    void* data;
    std::size_t size;
    enum class State { kStart, kWaiting, kPosted } state = State::kStart;

    template <class Self>
    void operator()(Self& self, boost::system::error_code ec = {}, std::size_t bytes = 0) {
      if (state == State::kPosted || (state == State::kWaiting && ec)) {
        return self.complete(ec, bytes);
      }
      const bool first = state == State::kStart;
      state = State::kWaiting;
      const Attempt a = stream->attempt(call, data, size);
      if (a.want == Want::kRead) {
        return stream->socket_.async_wait(boost::asio::ip::tcp::socket::wait_read, std::move(self));
      }
      if (a.want == Want::kWrite) {
        return stream->socket_.async_wait(boost::asio::ip::tcp::socket::wait_write,
                                          std::move(self));
      }
      if (!first) return self.complete(a.ec, a.bytes);
      // Completed without waiting: never call the handler inside the initiating function.
      state = State::kPosted;
      boost::asio::post(boost::asio::append(std::move(self), a.ec, a.bytes));
    }
  };

  template <class Handler>
  void start(Call call, void* data, std::size_t size, Handler&& handler) {
    boost::asio::async_compose<Handler, void(boost::system::error_code, std::size_t)>(
        Op{this, call, data, size}, handler, socket_);
  }

  template <class Iterator>
  static auto first_buffer(Iterator begin, Iterator end) {
    for (auto it = begin; it != end; ++it) {
      if (boost::asio::buffer(*it).size() != 0) return boost::asio::buffer(*it);
    }
    return begin == end ? decltype(boost::asio::buffer(*begin))() : boost::asio::buffer(*begin);
  }

  Attempt attempt(Call call, void* data, std::size_t size);
  Attempt failure(int ret, int saved_errno);

  SessionSocket socket_;
  std::shared_ptr<boost::asio::ssl::context> context_;  // keeps the SSL_CTX of this session
  SSL* ssl_ = nullptr;
  bool open_ = true;
  bool fatal_ = false;  // after a fatal TLS error no close_notify may be sent
};

}  // namespace jk::server
