#include "launcher/proxy/upstream.h"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>

#include "launcher/proxy/socket_addresses.h"
#include "launcher/tls/upstream.h"

namespace jk::launcher::proxy {
namespace {

constexpr int kBadGateway = 502;
constexpr int kGatewayTimeout = 504;

std::string key_of(const Destination& destination) {
  return (destination.tls ? "https://" : "http://") + destination.authority();
}

UpstreamFailure failure(const error_code& ec, const std::string& what) {
  if (is_timeout(ec) || ec == asio::error::operation_aborted) {
    return {kGatewayTimeout, what + ": timed out"};
  }
  return {kBadGateway, what + ": " + ec.message()};
}

// The resolver has no deadline of its own: a timer cancels it.
awaitable<std::tuple<error_code, tcp::resolver::results_type>> resolve(
    const asio::any_io_executor& executor, const Destination& destination,
    std::chrono::milliseconds timeout) {
  auto resolver = std::make_shared<tcp::resolver>(executor);
  auto timer = std::make_shared<asio::steady_timer>(executor, timeout);
  timer->async_wait([resolver](const error_code& ec) {
    if (!ec) resolver->cancel();
  });
  auto result = co_await resolver->async_resolve(destination.host, std::to_string(destination.port),
                                                 kUseTuple);
  timer->cancel();
  co_return result;
}

bool reaches_proxy(const tcp::resolver::results_type& results, const ProxyContext& context) {
  for (const auto& entry : results) {
    const auto endpoint = entry.endpoint();
    auto target =
        sys::endpoint_from_sockaddr(endpoint.data(), static_cast<socklen_t>(endpoint.size()));
    if (!target.ok()) continue;
    for (const sys::Endpoint& own : context.own_addresses) {
      if (reaches_listener(*target, own)) return true;
    }
  }
  return false;
}

}  // namespace

bool Upstream::connected_to(const Destination& destination) const {
  return !key_.empty() && key_ == key_of(destination) &&
         (tls_ ? beast::get_lowest_layer(*tls_).socket().is_open() : plain_->socket().is_open());
}

void Upstream::close() {
  error_code ignored;
  if (tls_) beast::get_lowest_layer(*tls_).socket().close(ignored);
  if (plain_) plain_->socket().close(ignored);
  tls_.reset();
  plain_.reset();
  buffer_.clear();
  key_.clear();
}

awaitable<std::optional<UpstreamFailure>> Upstream::connect(const Destination& destination,
                                                            const ProxyContext& context) {
  close();
  if (auto failed = co_await connect_tcp(destination, context)) co_return failed;
  if (destination.tls) {
    if (auto failed = co_await handshake(destination, context)) {
      close();
      co_return failed;
    }
  }
  key_ = key_of(destination);
  co_return std::nullopt;
}

awaitable<std::optional<UpstreamFailure>> Upstream::connect_tcp(const Destination& destination,
                                                                const ProxyContext& context) {
  const auto timeout = context.options.timeouts.upstream_connect;
  auto [resolve_error, results] = co_await resolve(executor_, destination, timeout);
  if (resolve_error) co_return failure(resolve_error, "resolve " + destination.host);
  if (reaches_proxy(results, context)) {
    co_return UpstreamFailure{kBadGateway, "refusing to connect " + destination.authority() +
                                               ": it is this proxy (loop)"};
  }
  plain_.emplace(executor_);
  plain_->expires_after(timeout);
  auto [ec, endpoint] = co_await plain_->async_connect(results, kUseTuple);
  if (ec) co_return failure(ec, "connect " + destination.authority());
  plain_->socket().set_option(tcp::no_delay(true), ec);
  co_return std::nullopt;
}

awaitable<std::optional<UpstreamFailure>> Upstream::handshake(const Destination& destination,
                                                              const ProxyContext& context) {
  if (!context.upstream_tls) {
    co_return UpstreamFailure{kBadGateway, "TLS to " + destination.host + ": not configured"};
  }
  tls_.emplace(std::move(*plain_), context.upstream_tls.get(), TlsRole::kClient);
  plain_.reset();
  if (tls_->native_handle() == nullptr) {
    co_return UpstreamFailure{kBadGateway, "TLS to " + destination.host + ": out of memory"};
  }
  const Status prepared = tls::UpstreamTls::prepare(tls_->native_handle(), destination.host);
  if (!prepared.ok()) co_return UpstreamFailure{kBadGateway, prepared.error().message};
  beast::get_lowest_layer(*tls_).expires_after(context.options.timeouts.upstream_connect);
  auto [ec] = co_await tls_->async_handshake(kUseTuple);
  if (!ec) co_return std::nullopt;
  if (is_timeout(ec)) co_return failure(ec, "TLS handshake with " + destination.host);
  const bool from_openssl = ec.category() == asio::error::get_ssl_category();
  const unsigned long code = from_openssl ? static_cast<unsigned long>(ec.value()) : 0;
  co_return UpstreamFailure{
      kBadGateway, tls::describe_handshake_failure(tls_->native_handle(), destination.host, code)};
}

}  // namespace jk::launcher::proxy
