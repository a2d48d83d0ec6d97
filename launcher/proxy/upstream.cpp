#include "launcher/proxy/upstream.h"

#include <algorithm>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>

#include "launcher/proxy/resolver.h"
#include "launcher/proxy/socket_addresses.h"
#include "launcher/proxy/upstream_address.h"
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

// Resolution with the proxy's own resolver, bounded by the connect timeout.
awaitable<Result<std::vector<launchspec::IpAddress>>> resolve(const asio::any_io_executor& executor,
                                                              const Destination& destination,
                                                              const ProxyContext& context) {
  using namespace asio::experimental::awaitable_operators;  // NOLINT(google-build-using-namespace)
  asio::steady_timer timer(executor, context.options.timeouts.upstream_connect);
  std::string host = destination.host;
  auto done = co_await (resolve_host(executor, context.options.resolver, std::move(host)) ||
                        timer.async_wait(kUseTuple));
  if (done.index() == 1) co_return make_error("timed out");
  co_return std::get<0>(std::move(done));
}

tcp::endpoint to_endpoint(const launchspec::IpAddress& a, std::uint16_t port) {
  error_code ignored;
  return {asio::ip::make_address(launchspec::to_string(a), ignored), port};
}

// The addresses the proxy may connect to: internal ones refused unless opted in (the first
// refusal is the reason when none is left), the proxy's own listeners always.
Result<std::vector<tcp::endpoint>> permitted(const std::vector<launchspec::IpAddress>& addresses,
                                             const Destination& destination,
                                             const ProxyContext& context) {
  std::vector<tcp::endpoint> out;
  std::string refused;
  for (const launchspec::IpAddress& address : addresses) {
    auto target = sys::parse_endpoint(launchspec::to_string(address), destination.port);
    if (!target.ok()) continue;
    const bool loop =
        std::any_of(context.own_addresses.begin(), context.own_addresses.end(),
                    [&](const sys::Endpoint& own) { return reaches_listener(*target, own); });
    if (loop) {
      return make_error("refusing to connect " + destination.authority() +
                        ": it is this proxy (loop)");
    }
    const std::string why = refusal(context.address_policy, address);
    if (!why.empty()) {
      if (refused.empty()) refused = why;
      continue;
    }
    out.push_back(to_endpoint(address, destination.port));
  }
  if (out.empty()) {
    return make_error("refusing to connect " + destination.authority() + ": " +
                      (refused.empty() ? std::string("no address") : refused));
  }
  return out;
}

// After connect: the kernel chose a local address equal to the peer's only when the peer is an
// address of this network namespace (added after start, or not seen by getifaddrs).
std::string connected_to_self(const tcp::socket& socket, const ProxyContext& context) {
  error_code ec;
  const auto local = socket.local_endpoint(ec);
  const auto peer = socket.remote_endpoint(ec);
  if (ec || local.address() != peer.address()) return "";
  auto address = launchspec::parse_ip(peer.address().to_string());
  if (!address.ok()) return "";
  UpstreamAddressPolicy self = context.address_policy;
  self.own_addresses.push_back(*address);
  return refusal(self, *address);
}

}  // namespace

bool Upstream::connected_to(const Destination& destination) const {
  return !key_.empty() && key_ == key_of(destination) &&
         (tls_ ? beast::get_lowest_layer(*tls_).socket().is_open() : plain_->socket().is_open());
}

bool Upstream::has_leftover() {
  if (key_.empty()) return false;
  if (buffer_.size() > 0) return true;
  // Over TLS only decrypted data counts: unread records may be session tickets.
  if (tls_) return tls_->has_pending_plaintext();
  error_code ec;
  const std::size_t readable = lowest_stream().socket().available(ec);
  return ec || readable > 0;
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
  auto addresses = co_await resolve(executor_, destination, context);
  if (!addresses.ok()) {
    const bool timed_out = addresses.error().message == "timed out";
    co_return UpstreamFailure{timed_out ? kGatewayTimeout : kBadGateway,
                              "resolve " + destination.host + ": " + addresses.error().message};
  }
  auto endpoints = permitted(*addresses, destination, context);
  if (!endpoints.ok()) co_return UpstreamFailure{kBadGateway, endpoints.error().message};
  plain_.emplace(executor_);
  plain_->expires_after(timeout);
  auto [ec, endpoint] = co_await plain_->async_connect(*endpoints, kUseTuple);
  if (ec) co_return failure(ec, "connect " + destination.authority());
  if (const std::string self = connected_to_self(plain_->socket(), context); !self.empty()) {
    close();
    co_return UpstreamFailure{kBadGateway,
                              "refusing to connect " + destination.authority() + ": " + self};
  }
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
