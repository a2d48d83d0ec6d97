// GCC 12 false positive inside Asio's any_executor (see webhook/server/CMakeLists.txt).
#pragma GCC diagnostic ignored "-Wnull-dereference"
#include "webhook/kube/http_client.h"

#include <array>
#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <utility>

#include "webhook/kube/credential_source.h"
#include "webhook/kube/line_splitter.h"
#include "webhook/kube/tls_client_context.h"

namespace jk::kube {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;
using Stream = beast::ssl_stream<beast::tcp_stream>;
using Request = http::request<http::string_body>;

constexpr unsigned kHttp11 = 11;
constexpr std::uint64_t kMaxListBody = 512ULL * 1024 * 1024;   // a GET: a whole list
constexpr std::uint64_t kMaxObjectBody = 16ULL * 1024 * 1024;  // a write's answer: one object
constexpr std::size_t kReadChunk = 16 * 1024;
constexpr unsigned kUnauthorized = 401;

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

struct HttpClient::Impl {
  ClientConfig config;
  HttpClientOptions options;
  CredentialSource credentials;
  asio::io_context ioc;
  std::shared_ptr<ssl::context> tls;
  std::string tls_cert;  // the client certificate `tls` presents ("" = none)
  std::unique_ptr<Stream> stream;
  Stream* connecting = nullptr;  // the stream being connected, before it becomes `stream`
  beast::flat_buffer buffer;
  std::atomic<bool> cancelled{false};

  Impl(ClientConfig c, HttpClientOptions o, std::shared_ptr<ssl::context> t)
      : config(std::move(c)),
        options(o),
        credentials(config, options.token_max_age),
        tls(std::move(t)),
        tls_cert(config.client_cert_pem) {}

  // Starts one asynchronous operation and runs the io_context until it completes.
  template <class Start>
  error_code run(Start&& start) {
    if (cancelled) return asio::error::operation_aborted;
    error_code result = asio::error::would_block;
    start([&result](error_code ec, auto&&...) { result = ec; });
    ioc.restart();
    ioc.run();
    return result;
  }

  // Runs on the io_context thread (posted by cancel() or a watch's stop request).
  void cancel_current() {
    Stream* active = stream ? stream.get() : connecting;
    if (active != nullptr) beast::get_lowest_layer(*active).cancel();
  }

  void drop() {
    stream.reset();
    buffer.clear();
  }

  Result<tcp::resolver::results_type> resolve() {
    tcp::resolver resolver(ioc);
    error_code ec;
    auto results = resolver.resolve(config.host, std::to_string(config.port), ec);
    if (ec) return make_error("resolve " + config.host + ": " + ec.message());
    return results;
  }

  Status handshake(Stream& s) {
    beast::get_lowest_layer(s).expires_after(options.connect_timeout);
    const error_code ec = run([&](auto h) { s.async_handshake(ssl::stream_base::client, h); });
    if (!ec) return {};
    const std::string verify = verification_failure(s.native_handle());
    return make_error("TLS handshake with " + host_header(config) + ": " +
                      (verify.empty() ? describe(ec) : verify));
  }

  Status connect() {
    drop();
    JK_TRY(const auto endpoints, resolve());
    auto s = std::make_unique<Stream>(ioc, *tls);
    JK_TRY_STATUS(configure_peer_checks(s->native_handle(), config));
    connecting = s.get();
    auto status = connect_stream(*s, endpoints);
    connecting = nullptr;
    if (status.ok()) stream = std::move(s);
    return status;
  }

  Status connect_stream(Stream& s, const tcp::resolver::results_type& endpoints) {
    auto& layer = beast::get_lowest_layer(s);
    layer.expires_after(options.connect_timeout);
    const error_code ec = run([&](auto h) { layer.async_connect(endpoints, h); });
    if (ec) return make_error("connect " + host_header(config) + ": " + describe(ec));
    return handshake(s);
  }

  // An exec plugin may hand out a (new) client certificate: connections then use a TLS
  // context that presents it.
  Status use_client_certificate(const Credential& credential) {
    if (credential.cert_pem == tls_cert) return {};
    ClientConfig with_cert = config;
    with_cert.client_cert_pem = credential.cert_pem;
    with_cert.client_key_pem = credential.key_pem;
    JK_TRY(tls, make_client_tls_context(with_cert));
    tls_cert = credential.cert_pem;
    drop();
    return {};
  }

  Result<Request> make_request(const ApiRequest& r, Credential& used) {
    JK_TRY(used, credentials.current());
    JK_TRY_STATUS(use_client_certificate(used));
    const std::string& bearer = used.token;
    const auto verb = http::string_to_verb(r.method);
    if (verb == http::verb::unknown) return make_error("unknown HTTP method " + r.method);
    Request req{verb, config.base_path + r.path, kHttp11};
    req.set(http::field::host, host_header(config));
    req.set(http::field::user_agent, "jailkeeper-webhook");
    req.set(http::field::accept, "application/json");
    if (!bearer.empty()) req.set(http::field::authorization, "Bearer " + bearer);
    if (!r.body.empty()) {
      req.set(http::field::content_type, r.content_type);
      req.body() = r.body;
      req.content_length(r.body.size());
    }
    req.keep_alive(true);
    return req;
  }

  // Connects when needed and sends the request; a reused connection that fails is retried once
  // on a fresh one (the server may have closed an idle keep-alive connection).
  Status send(const Request& req, std::chrono::milliseconds timeout) {
    for (int attempt = 0;; ++attempt) {
      const bool fresh = !stream;
      if (fresh) JK_TRY_STATUS(connect());
      beast::get_lowest_layer(*stream).expires_after(timeout);
      const error_code ec = run([&](auto h) { http::async_write(*stream, req, h); });
      if (!ec) return {};
      drop();
      if (fresh || attempt > 0) return make_error("send: " + describe(ec));
    }
  }

  void after_response(unsigned status, bool keep_alive, const Credential& used) {
    if (status == kUnauthorized) credentials.unauthorized(used);
    if (!keep_alive) drop();
  }

  // A 401 drops the credential it carried; when that yields a different one (a rotated token
  // file, an exec plugin run again) the request is sent once more with it.
  Result<HttpResponse> request(const ApiRequest& r) {
    Credential used;
    auto first = request_once(r, used);
    if (!first.ok() || first->status != kUnauthorized) return first;
    auto fresh = credentials.current();
    if (!fresh.ok() || *fresh == used) return first;
    return request_once(r, used);
  }

  Result<HttpResponse> request_once(const ApiRequest& r, Credential& used) {
    const std::string what = r.method + " " + r.path;
    auto req = make_request(r, used);
    if (!req.ok()) return req.error().wrap(what);
    const Status sent = send(*req, options.request_timeout);
    if (!sent.ok()) return sent.error().wrap(what);
    http::response_parser<http::string_body> parser;
    parser.body_limit(req->method() == http::verb::get ? kMaxListBody : kMaxObjectBody);
    const error_code ec = run([&](auto h) { http::async_read(*stream, buffer, parser, h); });
    if (ec) {
      drop();
      return make_error(what + ": " + describe(ec));
    }
    HttpResponse out{parser.get().result_int(), std::move(parser.get().body())};
    after_response(out.status, parser.get().keep_alive(), used);
    return out;
  }

  Result<HttpResponse> watch(const std::string& path, const LineHandler& on_line,
                             const std::stop_token& stop) {
    Credential used;
    auto req_made = make_request({"GET", path, "", ""}, used);
    if (!req_made.ok()) return req_made.error().wrap("watch " + path);
    const Request& req = *req_made;
    JK_TRY_STATUS(send(req, options.request_timeout));
    std::atomic<bool> stopped{false};
    std::stop_callback on_stop(stop, [&] {
      stopped = true;
      asio::post(ioc, [this] { cancel_current(); });
    });
    http::response_parser<http::buffer_body> parser;
    parser.body_limit(boost::none);
    beast::get_lowest_layer(*stream).expires_after(options.watch_idle_timeout);
    error_code ec = run([&](auto h) { http::async_read_header(*stream, buffer, parser, h); });
    if (ec) return stream_error(path, ec, stopped);
    return read_body(path, parser, on_line, stopped, used);
  }

  Result<HttpResponse> stream_error(const std::string& path, const error_code& ec,
                                    const std::atomic<bool>& stopped) {
    drop();
    if (stopped) return HttpResponse{200, ""};
    if (ec == beast::error::timeout) {
      return make_error("watch " + path + ": no data for " +
                        std::to_string(options.watch_idle_timeout.count()) + " ms");
    }
    return make_error("watch " + path + ": " + describe(ec));
  }

  Result<HttpResponse> read_body(const std::string& path,
                                 http::response_parser<http::buffer_body>& parser,
                                 const LineHandler& on_line, const std::atomic<bool>& stopped,
                                 const Credential& used) {
    const unsigned status = parser.get().result_int();
    LineSplitter lines;
    std::string body;
    std::array<char, kReadChunk> chunk{};
    while (!parser.is_done()) {
      parser.get().body().data = chunk.data();
      parser.get().body().size = chunk.size();
      beast::get_lowest_layer(*stream).expires_after(options.watch_idle_timeout);
      error_code ec = run([&](auto h) { http::async_read_some(*stream, buffer, parser, h); });
      if (ec == http::error::need_buffer) ec = {};
      if (ec || stopped) return stream_error(path, ec, stopped);
      const std::string_view got(chunk.data(), chunk.size() - parser.get().body().size);
      if (status != 200) {
        body.append(got);
      } else if (!lines.feed(got, on_line)) {
        drop();
        return HttpResponse{status, ""};
      }
    }
    after_response(status, parser.keep_alive(), used);
    return HttpResponse{status, std::move(body)};
  }
};

Result<std::unique_ptr<HttpClient>> HttpClient::create(ClientConfig config,
                                                       HttpClientOptions options) {
  JK_TRY(auto tls, make_client_tls_context(config));
  auto impl = std::make_unique<Impl>(std::move(config), options, std::move(tls));
  return std::unique_ptr<HttpClient>(new HttpClient(std::move(impl)));
}

HttpClient::HttpClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HttpClient::~HttpClient() = default;

Result<HttpResponse> HttpClient::request(const ApiRequest& request) {
  return impl_->request(request);
}

Result<HttpResponse> HttpClient::get(const std::string& path) {
  return request({"GET", path, "", ""});
}

Result<HttpResponse> HttpClient::watch(const std::string& path, const LineHandler& on_line,
                                       std::stop_token stop) {
  if (stop.stop_requested()) return HttpResponse{200, ""};
  return impl_->watch(path, on_line, stop);
}

void HttpClient::cancel() {
  impl_->cancelled = true;
  asio::post(impl_->ioc, [impl = impl_.get()] { impl->cancel_current(); });
}

const ClientConfig& HttpClient::config() const { return impl_->config; }

}  // namespace jk::kube
