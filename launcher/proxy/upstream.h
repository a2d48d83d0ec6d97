#pragma once
// The connection from the proxy to a real server (internal): resolves the name itself, refuses
// the proxy's own listen addresses, connects within the connect timeout, then TLS (chain and
// host verified) when the destination is https. Kept open for the next request to the same
// destination.
#include <memory>
#include <optional>
#include <string>

#include "launcher/proxy/asio_types.h"
#include "launcher/proxy/destination.h"
#include "launcher/proxy/proxy_context.h"
#include "launcher/proxy/tls_stream.h"

namespace jk::launcher::proxy {

// What the client gets when the upstream cannot be reached: 502 (DNS, refused, TLS, loop) or
// 504 (connect timeout), and the reason for the body and the audit line.
struct UpstreamFailure {
  int status = 0;
  std::string reason;
};

class Upstream {
 public:
  static constexpr std::size_t kReadBufferBytes = 64 * 1024;

  explicit Upstream(asio::any_io_executor executor) : executor_(std::move(executor)) {
    buffer_.reserve(kReadBufferBytes);  // Beast reads at most the free capacity at a time
  }

  [[nodiscard]] bool connected_to(const Destination& destination) const;
  // Bytes from the upstream that no request asked for yet (buffered, or readable on the
  // socket): a connection with any is not reused.
  [[nodiscard]] bool has_leftover();
  awaitable<std::optional<UpstreamFailure>> connect(const Destination& destination,
                                                    const ProxyContext& context);
  void close();

  // Calls f with the plain or TLS stream.
  template <class F>
  auto visit(F&& f) {
    return tls_ ? f(*tls_) : f(*plain_);
  }
  beast::tcp_stream& lowest_stream() { return tls_ ? beast::get_lowest_layer(*tls_) : *plain_; }
  beast::flat_buffer& buffer() { return buffer_; }

 private:
  awaitable<std::optional<UpstreamFailure>> connect_tcp(const Destination& destination,
                                                        const ProxyContext& context);
  awaitable<std::optional<UpstreamFailure>> handshake(const Destination& destination,
                                                      const ProxyContext& context);

  asio::any_io_executor executor_;
  std::optional<beast::tcp_stream> plain_;
  std::optional<TlsStream> tls_;
  beast::flat_buffer buffer_;
  std::string key_;  // "https://host:port" of the open connection; empty when closed
};

}  // namespace jk::launcher::proxy
