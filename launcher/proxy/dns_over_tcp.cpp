#include "launcher/proxy/dns_over_tcp.h"

#include <array>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "common/log.h"
#include "launcher/net/dns_answer.h"
#include "launcher/proxy/relay.h"
#include "launcher/proxy/request_audit.h"

namespace jk::launcher::proxy {
namespace {

constexpr std::size_t kLengthBytes = 2;
constexpr unsigned kByteBits = 8;
constexpr unsigned kByteMask = 0xff;

// Reads until `buffer` holds at least `wanted` bytes; false on a close, an error or a timeout.
awaitable<bool> fill(beast::tcp_stream& client, beast::flat_buffer& buffer, std::size_t wanted,
                     std::chrono::milliseconds timeout) {
  while (buffer.size() < wanted) {
    client.expires_after(timeout);
    auto [ec, n] =
        co_await client.async_read_some(buffer.prepare(wanted - buffer.size()), kUseTuple);
    if (ec) co_return false;
    buffer.commit(n);
  }
  co_return true;
}

// Answers queries until the client stops; returns how many were answered.
awaitable<int> answer_queries(beast::tcp_stream& client, beast::flat_buffer& buffer,
                              const ProxyContext& context) {
  const auto idle = context.options.timeouts.idle_client;
  for (int answered = 0;; ++answered) {
    if (!co_await fill(client, buffer, kLengthBytes, idle)) co_return answered;
    const auto* bytes = static_cast<const std::uint8_t*>(buffer.data().data());
    const std::size_t length = (std::size_t{bytes[0]} << kByteBits) | bytes[1];
    if (!co_await fill(client, buffer, kLengthBytes + length, idle)) co_return answered;
    bytes = static_cast<const std::uint8_t*>(buffer.data().data());
    auto response = net::answer(std::span(bytes + kLengthBytes, length));
    buffer.consume(kLengthBytes + length);
    if (!response.ok()) {
      log::debug("proxy: DNS over TCP: not a query", {{"error", response.error().message}});
      co_return answered;
    }
    const std::array<std::uint8_t, kLengthBytes> prefix = {
        static_cast<std::uint8_t>(response->size() >> kByteBits),
        static_cast<std::uint8_t>(response->size() & kByteMask)};
    const std::array<asio::const_buffer, 2> frame = {asio::buffer(prefix), asio::buffer(*response)};
    client.expires_after(context.options.timeouts.idle_transfer);
    auto [ec, n] = co_await asio::async_write(client, frame, kUseTuple);
    if (ec) co_return answered;
  }
}

awaitable<void> relay_to_resolver(beast::tcp_stream& client, beast::flat_buffer& buffer,
                                  const ProxyContext& context, RequestAudit& audit) {
  const sys::Endpoint& resolver = *context.options.dns_upstream;
  beast::tcp_stream upstream(client.get_executor());
  upstream.expires_after(context.options.timeouts.upstream_connect);
  const tcp::endpoint to(asio::ip::make_address(resolver.host()), resolver.port());
  auto [ec] = co_await upstream.async_connect(to, kUseTuple);
  if (ec) {
    audit.finish(requestlog::Decision::kError, 0,
                 "DNS over TCP: resolver " + resolver.to_string() + ": " + ec.message());
    co_return;
  }
  std::uint64_t up = 0;
  std::uint64_t down = 0;
  beast::flat_buffer none;
  co_await tunnel(client, upstream, buffer, none, context.options.timeouts.idle_transfer, up, down);
  audit.add_bytes(up, down);
  audit.finish(requestlog::Decision::kAllow, 0, "DNS over TCP relayed to " + resolver.to_string());
}

}  // namespace

awaitable<void> serve_dns_over_tcp(beast::tcp_stream& client, beast::flat_buffer& buffer,
                                   const ProxyContext& context, std::string host) {
  // One audit line per connection (as for a CONNECT tunnel), not per query.
  RequestAudit audit(context, "DNS");
  audit.set_target("dns+tcp://" + host + ":53", host);
  if (context.options.dns_upstream) {
    co_await relay_to_resolver(client, buffer, context, audit);
    co_return;
  }
  const int answered = co_await answer_queries(client, buffer, context);
  audit.finish(requestlog::Decision::kAllow, 0,
               "DNS over TCP: " + std::to_string(answered) + " queries answered with placeholders");
}

}  // namespace jk::launcher::proxy
