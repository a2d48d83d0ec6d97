// GCC 12 false positive inside Asio's any_executor (see webhook/server/CMakeLists.txt).
#pragma GCC diagnostic ignored "-Wnull-dereference"
#include "webhook/kube/api_request.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <utility>

#include "webhook/kube/tls_client_context.h"
#include "webhook/kube/token_source.h"

namespace jk::kube {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;
using Stream = beast::ssl_stream<beast::tcp_stream>;

constexpr unsigned kHttp11 = 11;
constexpr std::uint64_t kMaxBody = 16ULL * 1024 * 1024;

std::string host_header(const ClientConfig& config) {
  const bool ipv6 = config.host.find(':') != std::string::npos;
  const std::string host = ipv6 ? "[" + config.host + "]" : config.host;
  return host + ":" + std::to_string(config.port);
}

std::string describe(const error_code& ec) {
  if (ec == beast::error::timeout) return "timed out";
  return ec.message();
}

}  // namespace

struct ApiRequester::Impl {
  ClientConfig config;
  HttpClientOptions options;
  TokenSource token;
  std::shared_ptr<ssl::context> tls;
  asio::io_context ioc;

  Impl(ClientConfig c, HttpClientOptions o, std::shared_ptr<ssl::context> t)
      : config(std::move(c)),
        options(o),
        token(config.bearer_token, config.token_file, options.token_max_age),
        tls(std::move(t)) {}

  // Starts one asynchronous operation and runs the io_context until it completes.
  template <class Start>
  error_code run(Start&& start) {
    error_code result = asio::error::would_block;
    start([&result](error_code ec, auto&&...) { result = ec; });
    ioc.restart();
    ioc.run();
    return result;
  }

  Result<std::unique_ptr<Stream>> connect() {
    tcp::resolver resolver(ioc);
    error_code ec;
    const auto endpoints = resolver.resolve(config.host, std::to_string(config.port), ec);
    if (ec) return make_error("resolve " + config.host + ": " + ec.message());
    auto s = std::make_unique<Stream>(ioc, *tls);
    JK_TRY_STATUS(configure_peer_checks(s->native_handle(), config));
    auto& layer = beast::get_lowest_layer(*s);
    layer.expires_after(options.connect_timeout);
    ec = run([&](auto h) { layer.async_connect(endpoints, h); });
    if (ec) return make_error("connect " + host_header(config) + ": " + describe(ec));
    ec = run([&](auto h) { s->async_handshake(ssl::stream_base::client, h); });
    if (ec) {
      const std::string verify = verification_failure(s->native_handle());
      return make_error("TLS handshake with " + host_header(config) + ": " +
                        (verify.empty() ? describe(ec) : verify));
    }
    return s;
  }

  Result<http::request<http::string_body>> make_request(const ApiRequest& r) {
    JK_TRY(const std::string bearer, token.current());
    const auto verb = http::string_to_verb(r.method);
    if (verb == http::verb::unknown) return make_error("unknown HTTP method " + r.method);
    http::request<http::string_body> req{verb, config.base_path + r.path, kHttp11};
    req.set(http::field::host, host_header(config));
    req.set(http::field::user_agent, "jailkeeper-webhook");
    req.set(http::field::accept, "application/json");
    if (!bearer.empty()) req.set(http::field::authorization, "Bearer " + bearer);
    if (!r.body.empty()) req.set(http::field::content_type, r.content_type);
    req.body() = r.body;
    req.keep_alive(false);
    req.prepare_payload();
    return req;
  }

  Result<HttpResponse> send(const ApiRequest& r) {
    const std::string what = r.method + " " + r.path;
    JK_TRY(const auto req, make_request(r));
    auto stream = connect();
    if (!stream.ok()) return stream.error().wrap(what);
    auto& s = **stream;
    beast::get_lowest_layer(s).expires_after(options.request_timeout);
    error_code ec = run([&](auto h) { http::async_write(s, req, h); });
    if (ec) return make_error(what + ": send: " + describe(ec));
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(kMaxBody);
    ec = run([&](auto h) { http::async_read(s, buffer, parser, h); });
    if (ec) return make_error(what + ": " + describe(ec));
    HttpResponse out{parser.get().result_int(), std::move(parser.get().body())};
    if (out.status == static_cast<unsigned>(http::status::unauthorized)) token.invalidate();
    beast::get_lowest_layer(s).close();  // no TLS close_notify round trip: the request is done
    return out;
  }
};

Result<std::unique_ptr<ApiRequester>> ApiRequester::create(ClientConfig config,
                                                           HttpClientOptions options) {
  JK_TRY(auto tls, make_client_tls_context(config));
  auto impl = std::make_unique<Impl>(std::move(config), options, std::move(tls));
  return std::unique_ptr<ApiRequester>(new ApiRequester(std::move(impl)));
}

ApiRequester::ApiRequester(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ApiRequester::~ApiRequester() = default;

Result<HttpResponse> ApiRequester::send(const ApiRequest& request) { return impl_->send(request); }

const ClientConfig& ApiRequester::config() const { return impl_->config; }

}  // namespace jk::kube
