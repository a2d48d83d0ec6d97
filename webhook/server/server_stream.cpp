#include "webhook/server/server_stream.h"

#include <openssl/err.h>

#include <boost/asio/ssl/error.hpp>
#include <cerrno>

namespace jk::server {
namespace {

namespace asio = boost::asio;
using error_code = boost::system::error_code;

}  // namespace

ServerStream::ServerStream(SessionSocket socket, std::shared_ptr<asio::ssl::context> context)
    : socket_(std::move(socket)), context_(std::move(context)) {
  error_code ignored;
  socket_.non_blocking(true, ignored);  // OpenSSL reads and writes the descriptor itself
  // No Nagle: every answer is already written whole (one TLS record where it fits), and the
  // tail of one that is not (a partial write) must not wait
  // for the peer's delayed ACK, up to 40 ms on Linux.
  socket_.set_option(asio::ip::tcp::no_delay(true), ignored);
  if (!context_) return;
  ssl_ = SSL_new(context_->native_handle());
  if (ssl_ == nullptr) return;  // out of memory: the handshake reports it
  SSL_set_mode(ssl_, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER |
                         SSL_MODE_RELEASE_BUFFERS);
  // A socket BIO that does not own the descriptor: the socket closes it.
  if (SSL_set_fd(ssl_, static_cast<int>(socket_.native_handle())) != 1) {
    SSL_free(ssl_);
    ssl_ = nullptr;
    return;
  }
  SSL_set_accept_state(ssl_);
  // Read ahead: one read(2) takes whatever the socket holds (up to a record buffer) instead of
  // a 5-byte record header and then the record, so a request costs one read instead of four.
  // Bytes read ahead stay inside OpenSSL: nothing_pending() asks SSL_has_pending, which counts
  // them, and the record buffer is still released once it is empty.
  SSL_set_read_ahead(ssl_, 1);
}

ServerStream::~ServerStream() {
  if (ssl_ != nullptr) SSL_free(ssl_);
}

bool ServerStream::nothing_pending() {
  if (!open_) return true;
  error_code ec;
  const std::size_t queued = socket_.available(ec);
  if (ec || queued != 0) return false;
  return ssl_ == nullptr || SSL_has_pending(ssl_) == 0;
}

void ServerStream::close() {
  open_ = false;
  error_code ignored;
  socket_.close(ignored);
}

void ServerStream::shutdown_send() {
  if (!open_) return;
  error_code ignored;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
}

ServerStream::Attempt ServerStream::attempt(Call call, void* data, std::size_t size) {
  if (call == Call::kNone) return {};
  if (!open_) return {asio::error::bad_descriptor};
  if (ssl_ == nullptr) return {asio::error::no_memory};
  if ((call == Call::kRead || call == Call::kWrite) && size == 0) return {};
  if (call == Call::kShutdown && (fatal_ || SSL_is_init_finished(ssl_) != 1)) return {};
  ERR_clear_error();
  std::size_t done = 0;
  int ret = 0;
  switch (call) {
    case Call::kRead:
      ret = SSL_read_ex(ssl_, data, size, &done);
      break;
    case Call::kWrite:
      ret = SSL_write_ex(ssl_, data, size, &done);
      break;
    case Call::kHandshake:
      ret = SSL_do_handshake(ssl_);
      break;
    case Call::kShutdown:
      // 0: our close_notify is out; the peer's is not awaited (a client that keeps the socket
      // open after `Connection: close` must not hold the session).
      ret = SSL_shutdown(ssl_);
      if (ret == 0) ret = 1;
      break;
    case Call::kNone:
      break;
  }
  const int saved_errno = errno;
  if (ret > 0) return {{}, done};
  return failure(ret, saved_errno);
}

ServerStream::Attempt ServerStream::failure(int ret, int saved_errno) {
  const int reason = SSL_get_error(ssl_, ret);
  if (reason == SSL_ERROR_WANT_READ) return {{}, 0, Want::kRead};
  if (reason == SSL_ERROR_WANT_WRITE) return {{}, 0, Want::kWrite};
  if (reason == SSL_ERROR_ZERO_RETURN) return {asio::error::eof};
  fatal_ = true;
  // The error queue is this thread's: take the code now and leave the queue empty.
  const unsigned long code = ERR_get_error();
  ERR_clear_error();
#if defined(SSL_R_UNEXPECTED_EOF_WHILE_READING)
  if (ERR_GET_REASON(code) == SSL_R_UNEXPECTED_EOF_WHILE_READING) {
    return {asio::ssl::error::stream_truncated};  // the peer closed without close_notify
  }
#endif
  if (code != 0) return {error_code(static_cast<int>(code), asio::error::get_ssl_category())};
  if (reason == SSL_ERROR_SYSCALL && saved_errno != 0 && ret < 0) {
    return {error_code(saved_errno, asio::error::get_system_category())};
  }
  return {asio::ssl::error::stream_truncated};  // the peer closed without close_notify
}

}  // namespace jk::server
