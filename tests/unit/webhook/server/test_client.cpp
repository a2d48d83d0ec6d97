// GCC 12 false positive inside Asio's any_executor (see webhook/server/CMakeLists.txt).
#pragma GCC diagnostic ignored "-Wnull-dereference"
#include "tests/unit/webhook/server/test_client.h"

#include <openssl/objects.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>

namespace jk::testing {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;

constexpr std::chrono::seconds kOpTimeout{5};
constexpr unsigned kHttp11 = 11;

tcp::endpoint loopback(std::uint16_t port) {
  return {asio::ip::make_address_v4("127.0.0.1"), port};
}

http::request<http::string_body> make_request(const std::string& method, const std::string& target,
                                              const std::string& body,
                                              const std::string& content_type) {
  http::request<http::string_body> req;
  req.method_string(method);
  req.target(target);
  req.version(kHttp11);
  req.set(http::field::host, "localhost");
  if (!content_type.empty()) req.set(http::field::content_type, content_type);
  req.body() = body;
  req.prepare_payload();
  return req;
}

template <class Stream>
Reply read_reply_from(asio::io_context& ioc, Stream& stream, beast::flat_buffer& buffer) {
  Reply reply;
  http::response<http::string_body> res;
  beast::get_lowest_layer(stream).expires_after(kOpTimeout);
  http::async_read(stream, buffer, res, [&](error_code ec, std::size_t) { reply.ec = ec; });
  ioc.restart();
  ioc.run();
  if (reply.ec) return reply;
  reply.status = res.result_int();
  reply.body = res.body();
  reply.content_type = std::string(res[http::field::content_type]);
  reply.keep_alive = res.keep_alive();
  return reply;
}

template <class Stream, class Buffers>
error_code write_all(asio::io_context& ioc, Stream& stream, const Buffers& buffers) {
  error_code result;
  beast::get_lowest_layer(stream).expires_after(kOpTimeout);
  asio::async_write(stream, buffers, [&](error_code ec, std::size_t) { result = ec; });
  ioc.restart();
  ioc.run();
  return result;
}

}  // namespace

struct TlsClient::Impl {
  ClientOptions options;
  asio::io_context ioc;
  ssl::context ctx{ssl::context::tls_client};
  std::optional<ssl::stream<beast::tcp_stream>> stream;
  beast::flat_buffer buffer;

  template <class Start>
  error_code run(Start start) {
    error_code result;
    beast::get_lowest_layer(*stream).expires_after(kOpTimeout);
    start([&result](error_code ec, auto&&...) { result = ec; });
    ioc.restart();
    ioc.run();
    return result;
  }
};

TlsClient::TlsClient(ClientOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
  auto& ctx = impl_->ctx;
  ctx.add_certificate_authority(asio::buffer(impl_->options.ca_pem));
  ctx.set_verify_mode(ssl::verify_peer);
  if (impl_->options.client_cert) {
    ctx.use_certificate_chain(asio::buffer(impl_->options.client_cert->cert_pem));
    ctx.use_private_key(asio::buffer(impl_->options.client_cert->key_pem), ssl::context::pem);
  }
  if (!impl_->options.groups.empty()) {
    SSL_CTX_set1_groups_list(ctx.native_handle(), impl_->options.groups.c_str());
  }
  if (impl_->options.max_version != 0) {
    // Really offer the old protocol: OpenSSL 3 disables it below security level 0.
    SSL_CTX_set_security_level(ctx.native_handle(), 0);
    SSL_CTX_set_min_proto_version(ctx.native_handle(), TLS1_VERSION);
    SSL_CTX_set_max_proto_version(ctx.native_handle(), impl_->options.max_version);
  }
}

TlsClient::~TlsClient() = default;

error_code TlsClient::connect(std::uint16_t port) {
  auto& impl = *impl_;
  impl.stream.emplace(impl.ioc, impl.ctx);
  impl.buffer.clear();
  // SNI (SSL_set_tlsext_host_name without its C-style cast).
  SSL_ctrl(impl.stream->native_handle(), SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
           const_cast<char*>(impl.options.host.c_str()));
  impl.stream->set_verify_callback(ssl::host_name_verification(impl.options.host));
  const error_code ec = impl.run([&](auto handler) {
    beast::get_lowest_layer(*impl.stream).async_connect(loopback(port), handler);
  });
  if (ec) return ec;
  return impl.run(
      [&](auto handler) { impl.stream->async_handshake(ssl::stream_base::client, handler); });
}

Reply TlsClient::request(const std::string& method, const std::string& target,
                         const std::string& body, const std::string& content_type) {
  auto& impl = *impl_;
  auto req = make_request(method, target, body, content_type);
  Reply reply;
  reply.ec = impl.run([&](auto handler) { http::async_write(*impl.stream, req, handler); });
  if (reply.ec) return reply;
  return read_reply_from(impl.ioc, *impl.stream, impl.buffer);
}

error_code TlsClient::write(const std::string& bytes) {
  return write_all(impl_->ioc, *impl_->stream, asio::buffer(bytes));
}

Reply TlsClient::raw(const std::string& bytes) {
  auto& impl = *impl_;
  Reply reply;
  reply.ec = write_all(impl.ioc, *impl.stream, asio::buffer(bytes));
  if (reply.ec) return reply;
  return read_reply_from(impl.ioc, *impl.stream, impl.buffer);
}

Reply TlsClient::read_reply() { return read_reply_from(impl_->ioc, *impl_->stream, impl_->buffer); }

std::string TlsClient::read_until(const std::string& marker) {
  auto& impl = *impl_;
  std::string text = beast::buffers_to_string(impl.buffer.data());
  while (text.find(marker) == std::string::npos) {
    std::size_t got = 0;
    const error_code ec = impl.run([&](auto handler) {
      impl.stream->async_read_some(impl.buffer.prepare(4096),
                                   [&got, handler](error_code e, std::size_t n) mutable {
                                     got = n;
                                     handler(e, n);
                                   });
    });
    impl.buffer.commit(got);
    text = beast::buffers_to_string(impl.buffer.data());
    if (ec) break;
  }
  const auto at = text.find(marker);
  if (at != std::string::npos) impl.buffer.consume(at + marker.size());
  return text;
}

long TlsClient::peer_serial() const {
  X509* cert = SSL_get1_peer_certificate(impl_->stream->native_handle());
  if (cert == nullptr) return -1;
  const long serial = ASN1_INTEGER_get(X509_get0_serialNumber(cert));
  X509_free(cert);
  return serial;
}

std::string TlsClient::negotiated_group() const {
  const int nid = static_cast<int>(SSL_get_negotiated_group(impl_->stream->native_handle()));
  const char* name = nid == NID_undef ? nullptr : OBJ_nid2sn(nid);
  return name == nullptr ? "" : name;
}

bool TlsClient::closed_by_server() {
  auto& impl = *impl_;
  char byte = 0;
  const error_code ec = impl.run(
      [&](auto handler) { impl.stream->async_read_some(asio::buffer(&byte, 1), handler); });
  return ec && ec != beast::error::timeout;
}

Reply http_get(std::uint16_t port, const std::string& target) {
  asio::io_context ioc;
  beast::tcp_stream stream(ioc);
  Reply reply;
  stream.expires_after(kOpTimeout);
  stream.async_connect(loopback(port), [&](error_code ec) { reply.ec = ec; });
  ioc.run();
  if (reply.ec) return reply;
  auto req = make_request("GET", target, {}, {});
  error_code ec;
  stream.expires_after(kOpTimeout);
  http::async_write(stream, req, [&](error_code e, std::size_t) { ec = e; });
  ioc.restart();
  ioc.run();
  if (ec) return failed(ec);
  beast::flat_buffer buffer;
  return read_reply_from(ioc, stream, buffer);
}

std::string tcp_exchange(std::uint16_t port, const std::string& bytes) {
  asio::io_context ioc;
  beast::tcp_stream stream(ioc);
  error_code ec;
  stream.expires_after(kOpTimeout);
  stream.async_connect(loopback(port), [&](error_code e) { ec = e; });
  ioc.run();
  if (ec) return {};
  if (write_all(ioc, stream, asio::buffer(bytes))) return {};
  // asio::async_read keeps a copy of a DynamicBuffer_v1 lvalue such as flat_buffer (what it
  // reads would not reach a local one): read through a dynamic_buffer over the string itself.
  std::string received;
  stream.expires_after(kOpTimeout);
  asio::async_read(stream, asio::dynamic_buffer(received), [&](error_code, std::size_t) {});
  ioc.restart();
  ioc.run();
  return received;
}

}  // namespace jk::testing
