#include "launcher/proxy/session.h"

#include <openssl/ssl.h>

#include <array>

#include "common/log.h"
#include "launcher/proxy/dns_over_tcp.h"
#include "launcher/proxy/first_bytes.h"
#include "launcher/proxy/http_session.h"
#include "launcher/proxy/relay.h"
#include "launcher/proxy/tls_stream.h"
#include "launcher/tls/authority.h"

namespace jk::launcher::proxy {
namespace {

constexpr std::size_t kDetectBytes = 512;
constexpr std::uint16_t kHttpsPort = 443;
constexpr std::chrono::milliseconds kLingerTime{1000};
constexpr std::size_t kLingerReadBytes = 4096;

http::response<http::string_body> make_text(int status, std::string body, bool keep_alive) {
  http::response<http::string_body> response{static_cast<http::status>(status), kHttp11};
  response.set(http::field::content_type, "text/plain; charset=utf-8");
  response.set(http::field::cache_control, "no-store");
  response.body() = std::move(body);
  response.keep_alive(keep_alive);
  response.prepare_payload();
  return response;
}

// Reads until the first bytes tell the protocol (or the header-read timeout passes).
awaitable<Protocol> detect(beast::tcp_stream& stream, beast::flat_buffer& buffer,
                           std::chrono::milliseconds timeout) {
  stream.expires_after(timeout);
  for (;;) {
    const auto data = buffer.cdata();
    const std::string_view bytes(static_cast<const char*>(data.data()), data.size());
    const Protocol protocol = classify_first_bytes(bytes);
    if (protocol != Protocol::kNeedMore) co_return protocol;
    auto [ec, n] = co_await stream.async_read_some(buffer.prepare(kDetectBytes), kUseTuple);
    if (ec) co_return Protocol::kNeedMore;
    buffer.commit(n);
  }
}

void audit_connection_error(const ProxyContext& context, const ConnectionDefaults& defaults,
                            std::string reason) {
  RequestAudit audit(context, "");
  audit.set_target("", defaults.host);
  audit.finish(requestlog::Decision::kError, 0, std::move(reason));
}

awaitable<void> serve_tls(beast::tcp_stream stream, beast::flat_buffer& buffer,
                          ConnectionDefaults defaults, const ProxyContext& context) {
  if (!context.server_tls || !context.options.authority) {
    audit_connection_error(context, defaults, "TLS interception is not configured");
    co_return;
  }
  TlsStream tls(std::move(stream), context.server_tls.get(), TlsRole::kServer, buffer.data());
  buffer.consume(buffer.size());  // the sniffed ClientHello is the TLS stream's now
  if (tls.native_handle() == nullptr) {
    audit_connection_error(context, defaults, "TLS from client: out of memory");
    co_return;
  }
  if (!defaults.host.empty()) {
    // A client without SNI still gets a certificate (for the CONNECT host or original IP).
    (void)context.options.authority->use_leaf_for(tls.native_handle(), defaults.host);
  }
  lowest(tls).expires_after(context.options.timeouts.header_read);
  auto [ec] = co_await tls.async_handshake(kUseTuple);
  if (ec) {
    audit_connection_error(context, defaults, "TLS handshake from client: " + ec.message());
    co_return;
  }
  if (const char* sni = SSL_get_servername(tls.native_handle(), TLSEXT_NAMETYPE_host_name)) {
    defaults.host = sni;
  }
  defaults.tls = true;
  if (defaults.port == 0) defaults.port = kHttpsPort;
  HttpSession<TlsStream> session(tls, buffer, defaults, context, false);
  co_await session.run();
  lowest(tls).expires_after(context.options.timeouts.header_read);
  co_await tls.async_shutdown(kUseTuple);
}

// Lingering close: a client still sending (after a 431, or a 403 with a body) would get a reset
// on close, which can destroy the response still in flight; send FIN, drop what arrives for a
// moment.
awaitable<void> linger(beast::tcp_stream& stream) {
  error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  stream.expires_after(kLingerTime);
  std::array<char, kLingerReadBytes> sink{};
  for (;;) {
    auto [ec, n] = co_await stream.async_read_some(asio::buffer(sink), kUseTuple);
    if (ec) break;
  }
}

ConnectionDefaults defaults_from(const std::optional<sys::Endpoint>& original) {
  if (!original) return {};
  return ConnectionDefaults{original->host(), original->port(), false};
}

}  // namespace

http::response<http::string_body> text_response(int status, std::string body, bool keep_alive) {
  return make_text(status, std::move(body), keep_alive);
}

awaitable<void> run_connection(tcp::socket socket, std::optional<sys::Endpoint> original,
                               std::shared_ptr<const ProxyContext> context, ConnectionSlot slot) {
  error_code ignored;
  socket.set_option(tcp::no_delay(true), ignored);
  beast::tcp_stream stream(std::move(socket));
  beast::flat_buffer buffer;
  buffer.reserve(kRelayChunkBytes);  // Beast reads at most the free capacity at a time
  ConnectionDefaults defaults = defaults_from(original);
  bool allow_connect = true;
  for (;;) {
    const Protocol protocol =
        co_await detect(stream, buffer, context->options.timeouts.header_read);
    if (protocol == Protocol::kTls) {
      co_await serve_tls(std::move(stream), buffer, defaults, *context);
      co_return;
    }
    if (protocol == Protocol::kNeedMore) co_return;  // closed or timed out before a byte
    if (protocol == Protocol::kUnknown && context->options.dns_over_tcp &&
        defaults.port == kDnsPort) {
      std::string dns_host = defaults.host;  // a named local moved in (GCC 12, see http_session)
      co_await serve_dns_over_tcp(stream, buffer, *context, std::move(dns_host));
      co_return;
    }
    if (protocol == Protocol::kUnknown) {
      audit_connection_error(*context, defaults, "not TLS and not HTTP");
      co_return;
    }
    HttpSession<beast::tcp_stream> session(stream, buffer, defaults, *context, allow_connect);
    const HttpSessionEnd end = co_await session.run();
    if (!end.tunnel) break;
    defaults = ConnectionDefaults{end.tunnel->host, end.tunnel->port, false};
    allow_connect = false;
  }
  co_await linger(stream);
  (void)slot;
}

}  // namespace jk::launcher::proxy
