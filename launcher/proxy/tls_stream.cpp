#include "launcher/proxy/tls_stream.h"

#include <openssl/bio.h>

#include <algorithm>

namespace jk::launcher::proxy {

// The BIO between OpenSSL and a TlsStream: reads take ciphertext from in_, writes append to
// out_. It never blocks: an empty in_ is a retryable read, which OpenSSL reports as
// SSL_ERROR_WANT_READ.
struct TlsStreamBio {
  static TlsStream& stream(BIO* bio) { return *static_cast<TlsStream*>(BIO_get_data(bio)); }

  static int read(BIO* bio, char* data, int size) {
    BIO_clear_retry_flags(bio);
    beast::flat_buffer& in = stream(bio).in_;
    if (in.size() == 0 || size <= 0) {
      BIO_set_retry_read(bio);
      return -1;
    }
    const std::size_t n =
        asio::buffer_copy(asio::buffer(data, static_cast<std::size_t>(size)), in.data());
    in.consume(n);
    return static_cast<int>(n);
  }

  static int write(BIO* bio, const char* data, int size) {
    BIO_clear_retry_flags(bio);
    if (size <= 0) return 0;
    beast::flat_buffer& out = stream(bio).out_;
    const auto n = static_cast<std::size_t>(size);
    out.commit(asio::buffer_copy(out.prepare(n), asio::buffer(data, n)));
    return size;
  }

  static long ctrl(BIO* /*bio*/, int command, long /*number*/, void* /*pointer*/) {  // NOLINT
    return command == BIO_CTRL_FLUSH ? 1 : 0;  // nothing is held back: out_ is sent by the stream
  }

  static int create(BIO* bio) {
    BIO_set_init(bio, 1);
    return 1;
  }

  static const BIO_METHOD* method() {
    static BIO_METHOD* const kMethod = [] {
      BIO_METHOD* m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "jailkeeper tls");
      if (m != nullptr) {
        BIO_meth_set_read(m, &TlsStreamBio::read);
        BIO_meth_set_write(m, &TlsStreamBio::write);
        BIO_meth_set_ctrl(m, &TlsStreamBio::ctrl);
        BIO_meth_set_create(m, &TlsStreamBio::create);
      }
      return m;
    }();
    return kMethod;
  }
};

TlsStream::TlsStream(beast::tcp_stream next, SSL_CTX* ctx, TlsRole role,
                     asio::const_buffer received)
    : next_(std::move(next)), ssl_(ctx != nullptr ? SSL_new(ctx) : nullptr) {
  in_.commit(asio::buffer_copy(in_.prepare(received.size()), received));
  const BIO_METHOD* method = TlsStreamBio::method();
  BIO* bio = ssl_ && method != nullptr ? BIO_new(method) : nullptr;
  if (bio == nullptr) {
    ssl_.reset();
    return;
  }
  BIO_set_data(bio, this);
  SSL_set_bio(ssl_.get(), bio, bio);  // one reference, taken by the SSL
  if (role == TlsRole::kServer) {
    SSL_set_accept_state(ssl_.get());
  } else {
    SSL_set_connect_state(ssl_.get());
  }
}

error_code TlsStream::failure(int ssl_error) {
  switch (ssl_error) {
    case SSL_ERROR_ZERO_RETURN:
      return asio::error::eof;
    case SSL_ERROR_SSL: {
      // The first error is the one to report; the rest is dropped so that nothing is left on
      // this thread's queue for another connection's failure to pick up.
      const unsigned long code = ERR_get_error();
      ERR_clear_error();
      if (code == 0) return asio::ssl::error::unspecified_system_error;
      return {static_cast<int>(code), asio::error::get_ssl_category()};
    }
    case SSL_ERROR_WANT_READ:  // a write that needs to read: renegotiation, refused by both sides
      return asio::error::operation_not_supported;
    default:  // SSL_ERROR_SYSCALL and the rest: this BIO has no system errors of its own
      return asio::ssl::error::unspecified_system_error;
  }
}

error_code TlsStream::at_eof() const {
  const bool closed_cleanly =
      ssl_ && (SSL_get_shutdown(ssl_.get()) & SSL_RECEIVED_SHUTDOWN) != 0 && in_.size() == 0;
  return closed_cleanly ? error_code(asio::error::eof)
                        : error_code(asio::ssl::error::stream_truncated);
}

void TlsStream::release_idle_buffers() {
  if (!receiving_ && in_.size() == 0 && in_.capacity() > kIdleCapacity) in_.shrink_to_fit();
  // out_ is never in a socket operation (it is swapped into sending_ first); sending_ is empty
  // only when no send is in flight.
  for (beast::flat_buffer* buffer : {&out_, &sending_}) {
    if (buffer->size() == 0 && buffer->capacity() > kIdleCapacity) buffer->shrink_to_fit();
  }
}

TlsStream::Progress TlsStream::advance(Step step, const IoBuffers& buffers) {
  if (!ssl_) return {Outcome::kFailed, asio::error::no_memory, 0};
  SSL* ssl = ssl_.get();
  const auto stalled = [this](int ssl_error) {
    if (ssl_error == SSL_ERROR_WANT_READ) return Progress{Outcome::kNeedInput, {}, 0};
    return Progress{Outcome::kFailed, failure(ssl_error), 0};
  };
  switch (step) {
    case Step::kHandshake: {
      ERR_clear_error();
      const int r = SSL_do_handshake(ssl);
      return r == 1 ? Progress{} : stalled(SSL_get_error(ssl, r));
    }
    case Step::kShutdown: {
      ERR_clear_error();
      const int r = SSL_shutdown(ssl);  // 0: close_notify written, the peer's not awaited
      return r >= 0 ? Progress{} : Progress{Outcome::kFailed, failure(SSL_get_error(ssl, r)), 0};
    }
    case Step::kRead: {
      if (read_failure_) return *read_failure_;
      std::size_t total = 0;
      // Every record already received, up to the caller's space: fewer, larger relay writes.
      for (std::size_t i = 0; i < buffers.count; ++i) {
        auto* data = static_cast<char*>(buffers.pieces[i].data());
        const std::size_t size = buffers.pieces[i].size();
        for (std::size_t offset = 0; offset < size;) {
          std::size_t got = 0;
          ERR_clear_error();
          const int r = SSL_read_ex(ssl, data + offset, size - offset, &got);
          if (r == 1) {
            offset += got;
            total += got;
            continue;
          }
          const Progress stop = stalled(SSL_get_error(ssl, r));
          if (total == 0) return stop;
          // Deliver what was read; a failure (or the peer's close_notify) comes next time.
          if (stop.outcome == Outcome::kFailed) read_failure_ = stop;
          return {Outcome::kDone, {}, total};
        }
      }
      return {Outcome::kDone, {}, total};
    }
    case Step::kWrite: {
      std::size_t total = 0;
      for (std::size_t i = 0; i < buffers.count && total < kMaxWriteBytes; ++i) {
        const std::size_t size = std::min(buffers.pieces[i].size(), kMaxWriteBytes - total);
        std::size_t written = 0;
        ERR_clear_error();
        const int r = SSL_write_ex(ssl, buffers.pieces[i].data(), size, &written);
        if (r != 1) {
          if (total > 0) break;  // report what was written; the failure repeats next time
          return {Outcome::kFailed, failure(SSL_get_error(ssl, r)), 0};
        }
        total += written;
      }
      return {Outcome::kDone, {}, total};
    }
  }
  return {Outcome::kFailed, asio::error::invalid_argument, 0};
}

}  // namespace jk::launcher::proxy
