#pragma once
// TlsStream: TLS over a beast::tcp_stream for the proxy (internal). Used instead of
// asio::ssl::stream, which moves ciphertext through a 17 KiB BIO pair and so costs one
// recv/send system call per TLS record; relaying intercepted HTTPS does that on both sides of
// every byte. Here OpenSSL reads and writes two buffers owned by the stream through a small
// BIO, and the stream moves them to and from the socket in large pieces:
//   - a read gathers every record already received (up to the caller's buffer) before it
//     waits for the socket again, and receives up to kSocketReadBytes at a time;
//   - a write encrypts the caller's whole buffer sequence (up to kMaxWriteBytes) and sends the
//     records with one send.
// All socket I/O goes through the tcp_stream, so its expires_after() deadlines apply as before
// (a timeout completes with beast::error::timeout). Errors are those of asio::ssl::stream:
// SSL failures in asio's ssl category with OpenSSL's error code as the value (the thread's
// error queue is left empty: a coroutine may resume on another thread), a close_notify ends
// reads with asio::error::eof, a peer that closes without one gives
// asio::ssl::error::stream_truncated.
//
// One read and one write may be outstanding at once (the websocket pump does both); only the
// handshake, writes and shutdown send. Output a read produces (a TLS 1.3 KeyUpdate answer) goes
// out with the next write, as RFC 8446 4.6.3 allows. Renegotiation is refused by both contexts.
// Not movable: OpenSSL's BIO points at the stream.
#include <openssl/err.h>
#include <openssl/ssl.h>

#include <array>
#include <boost/asio/compose.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/write.hpp>
#include <cstddef>
#include <optional>
#include <type_traits>
#include <utility>

#include "launcher/proxy/asio_types.h"
#include "launcher/tls/openssl_handles.h"

namespace jk::launcher::proxy {

enum class TlsRole { kClient, kServer };

class TlsStream {
 public:
  using executor_type = beast::tcp_stream::executor_type;
  using next_layer_type = beast::tcp_stream;

  // Four full records (16 KiB of data + at most 256 bytes of header, padding and tag each).
  static constexpr std::size_t kSocketReadBytes = 4 * (16 * 1024 + 256);
  static constexpr std::size_t kMaxWriteBytes = 256 * 1024;
  // An empty buffer larger than this is shrunk when an operation completes.
  static constexpr std::size_t kIdleCapacity = 16 * 1024;

  // `ctx` is only referenced by the SSL object made here (SSL_new takes its own reference).
  // Bytes the caller already read from the socket (a sniffed ClientHello) go in `received`.
  TlsStream(beast::tcp_stream next, SSL_CTX* ctx, TlsRole role, asio::const_buffer received = {});
  TlsStream(const TlsStream&) = delete;
  TlsStream& operator=(const TlsStream&) = delete;
  TlsStream(TlsStream&&) = delete;
  TlsStream& operator=(TlsStream&&) = delete;
  ~TlsStream() = default;

  executor_type get_executor() noexcept { return next_.get_executor(); }
  beast::tcp_stream& next_layer() noexcept { return next_; }
  const beast::tcp_stream& next_layer() const noexcept { return next_; }
  // Null only when OpenSSL could not allocate; every operation then fails.
  SSL* native_handle() noexcept { return ssl_.get(); }
  // Decrypted application data OpenSSL holds that no read has taken yet.
  [[nodiscard]] bool has_pending_plaintext() const noexcept {
    return ssl_ && SSL_pending(ssl_.get()) > 0;
  }

  template <class Token>
  auto async_handshake(Token&& token) {
    return run<void(error_code)>(Step::kHandshake, std::forward<Token>(token));
  }
  // Sends close_notify; does not wait for the peer's.
  template <class Token>
  auto async_shutdown(Token&& token) {
    return run<void(error_code)>(Step::kShutdown, std::forward<Token>(token));
  }
  template <class MutableBuffers, class Token>
  auto async_read_some(const MutableBuffers& buffers, Token&& token) {
    return run<void(error_code, std::size_t)>(Step::kRead, std::forward<Token>(token),
                                              IoBuffers::of(buffers));
  }
  template <class ConstBuffers, class Token>
  auto async_write_some(const ConstBuffers& buffers, Token&& token) {
    return run<void(error_code, std::size_t)>(Step::kWrite, std::forward<Token>(token),
                                              IoBuffers::of(buffers));
  }

 private:
  enum class Step { kHandshake, kRead, kWrite, kShutdown };
  static constexpr std::size_t kMaxPieces = 16;

  // The caller's buffers, flattened (at most kMaxPieces; more are left for the next call).
  struct IoBuffers {
    std::array<asio::mutable_buffer, kMaxPieces> pieces{};
    std::size_t count = 0;

    // Mutable buffers for a read, const ones for a write: OpenSSL only reads from a write's
    // buffers, so one type holds both.
    template <class Buffers>
    static IoBuffers of(const Buffers& buffers) {
      IoBuffers out;
      for (auto it = asio::buffer_sequence_begin(buffers);
           it != asio::buffer_sequence_end(buffers) && out.count < kMaxPieces; ++it) {
        const auto b = *it;
        if (b.size() > 0) {
          out.pieces[out.count++] = {const_cast<void*>(static_cast<const void*>(b.data())),
                                     b.size()};
        }
      }
      return out;
    }
  };

  // What one round of OpenSSL work on the buffered bytes ended with.
  enum class Outcome { kDone, kNeedInput, kFailed };
  struct Progress {
    Outcome outcome = Outcome::kDone;
    error_code ec;
    std::size_t bytes = 0;
  };

  // Runs the OpenSSL calls of `step` over what is buffered; no socket I/O.
  Progress advance(Step step, const IoBuffers& buffers);
  // Maps an OpenSSL failure (after SSL_get_error) the way asio::ssl::stream does.
  error_code failure(int ssl_error);
  // After the socket said end-of-file: eof after a close_notify, else stream_truncated.
  error_code at_eof() const;
  // Gives back the memory a transfer left in the buffers once they are empty and no socket
  // operation uses them: a kept-alive connection then holds a few KiB instead of ~200 KiB.
  void release_idle_buffers();

  template <class Signature, class Token>
  auto run(Step step, Token&& token, IoBuffers buffers = {}) {
    return asio::async_compose<Token, Signature>(Op<Signature>{*this, step, buffers, {}, {}}, token,
                                                 next_);
  }

  // The composed operation: advance; send what OpenSSL wrote (handshake, write, shutdown);
  // receive when OpenSSL needs more; complete.
  template <class Signature>
  struct Op {
    TlsStream& stream;
    Step step;
    IoBuffers buffers;
    enum class State { kStart, kSent, kReceived } state = State::kStart;
    std::optional<Progress> result;  // set once OpenSSL is done, while the output drains

    template <class Self>
    void operator()(Self& self, error_code ec = {}, std::size_t n = 0) {
      if (state == State::kSent) {
        stream.sending_.consume(n);
        if (ec) {  // an OpenSSL failure (its alert could not be sent) wins; else the send's
          const bool failed = result && result->outcome == Outcome::kFailed;
          return finish(self, failed ? *result : Progress{Outcome::kFailed, ec, 0});
        }
      } else if (state == State::kReceived) {
        stream.receiving_ = false;
        if (ec == asio::error::eof) return finish(self, {Outcome::kFailed, stream.at_eof(), 0});
        if (ec) return finish(self, Progress{Outcome::kFailed, ec, 0});
        stream.in_.commit(n);
      }
      if (!result) {
        Progress progress = stream.advance(step, buffers);
        if (progress.outcome != Outcome::kNeedInput) result = progress;
      }
      const bool sends = step != Step::kRead;
      if (sends && stream.sending_.size() == 0 && stream.out_.size() > 0) {
        std::swap(stream.sending_, stream.out_);  // a read may add to out_ while this is sent
      }
      if (sends && stream.sending_.size() > 0) {  // also a fatal alert before a failure
        state = State::kSent;
        return asio::async_write(stream.next_, stream.sending_.data(), std::move(self));
      }
      if (result) return finish(self, *result);
      state = State::kReceived;
      stream.receiving_ = true;
      stream.next_.async_read_some(stream.in_.prepare(kSocketReadBytes), std::move(self));
    }

    template <class Self>
    void finish(Self& self, const Progress& progress) {
      stream.release_idle_buffers();
      if (state == State::kStart) {
        // Done without waiting (data already buffered, nothing to do, or a failure at once):
        // as in every Asio operation the handler must not run inside the initiating call, or
        // a caller that keeps reading buffered data would recurse.
        asio::post(stream.get_executor(),
                   [self = std::move(self), progress]() mutable { deliver(self, progress); });
        return;
      }
      deliver(self, progress);
    }

    template <class Self>
    static void deliver(Self& self, const Progress& progress) {
      if constexpr (std::is_same_v<Signature, void(error_code)>) {
        self.complete(progress.ec);
      } else {
        self.complete(progress.ec, progress.outcome == Outcome::kDone ? progress.bytes : 0);
      }
    }
  };

  friend struct TlsStreamBio;

  beast::tcp_stream next_;
  tls::SslPtr ssl_;
  beast::flat_buffer in_;                 // received ciphertext OpenSSL has not taken yet
  beast::flat_buffer out_;                // ciphertext OpenSSL wrote, not yet being sent
  beast::flat_buffer sending_;            // ciphertext on its way to the socket
  std::optional<Progress> read_failure_;  // met after delivering data; every later read gets it
  bool receiving_ = false;                // a socket read into in_ is in flight
};

}  // namespace jk::launcher::proxy
