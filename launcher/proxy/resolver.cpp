#include "launcher/proxy/resolver.h"

#include <sys/socket.h>

#include <array>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <random>

#include "launcher/proxy/dns_message.h"

namespace jk::launcher::proxy {
namespace {

using udp = asio::ip::udp;
using namespace asio::experimental::awaitable_operators;  // NOLINT(google-build-using-namespace)

constexpr std::uint16_t kDnsPort = 53;
constexpr std::size_t kUdpReplyBytes = 4096;
constexpr std::size_t kLengthPrefix = 2;
constexpr std::array<std::uint16_t, 2> kTypes = {kDnsTypeA, kDnsTypeAaaa};

std::uint16_t random_id() {
  thread_local std::mt19937 engine{std::random_device{}()};
  return static_cast<std::uint16_t>(engine());
}

asio::ip::address to_asio(const launchspec::IpAddress& a) {
  if (a.family == AF_INET) {
    asio::ip::address_v4::bytes_type b{};
    std::copy_n(a.bytes.begin(), b.size(), b.begin());
    return asio::ip::address_v4(b);
  }
  asio::ip::address_v6::bytes_type b{};
  std::copy_n(a.bytes.begin(), b.size(), b.begin());
  return asio::ip::address_v6(b);
}

struct Query {
  std::string name;
  std::uint16_t type = 0;
  std::uint16_t id = 0;
  std::vector<std::uint8_t> bytes;
};

// Receives until a reply for `query` arrives (others are dropped: late or spoofed).
awaitable<Result<DnsReply>> receive_reply(udp::socket& socket, const Query& query) {
  std::array<std::uint8_t, kUdpReplyBytes> buffer{};
  for (;;) {
    auto [ec, n] = co_await socket.async_receive(asio::buffer(buffer), kUseTuple);
    if (ec) co_return make_error("DNS over UDP: " + ec.message());
    auto reply = parse_reply(std::span(buffer.data(), n), query.id, query.name, query.type);
    if (reply.ok()) co_return reply;
  }
}

awaitable<Result<DnsReply>> ask_udp(const asio::any_io_executor& executor, const udp::endpoint& to,
                                    const Query& query, std::chrono::milliseconds timeout) {
  udp::socket socket(executor);
  error_code ec;
  socket.open(to.protocol(), ec);
  if (!ec) socket.connect(to, ec);  // replies from any other address never reach us
  if (!ec) socket.send(asio::buffer(query.bytes), 0, ec);
  if (ec) co_return make_error("DNS over UDP to " + to.address().to_string() + ": " + ec.message());
  asio::steady_timer timer(executor, timeout);
  auto done = co_await (receive_reply(socket, query) || timer.async_wait(kUseTuple));
  if (done.index() == 1) co_return make_error("no answer from " + to.address().to_string());
  co_return std::get<0>(std::move(done));
}

awaitable<Result<DnsReply>> exchange_tcp(tcp::socket& socket, const Query& query) {
  std::vector<std::uint8_t> framed(kLengthPrefix + query.bytes.size());
  framed[0] = static_cast<std::uint8_t>(query.bytes.size() >> 8);    // NOLINT
  framed[1] = static_cast<std::uint8_t>(query.bytes.size() & 0xFF);  // NOLINT
  std::copy(query.bytes.begin(), query.bytes.end(), framed.begin() + kLengthPrefix);
  auto [wec, wn] = co_await asio::async_write(socket, asio::buffer(framed), kUseTuple);
  if (wec) co_return make_error("DNS over TCP: " + wec.message());
  std::array<std::uint8_t, kLengthPrefix> prefix{};
  auto [pec, pn] = co_await asio::async_read(socket, asio::buffer(prefix), kUseTuple);
  if (pec) co_return make_error("DNS over TCP: " + pec.message());
  std::vector<std::uint8_t> reply(
      static_cast<std::size_t>((prefix[0] << 8) | prefix[1]));  // NOLINT
  auto [rec, rn] = co_await asio::async_read(socket, asio::buffer(reply), kUseTuple);
  if (rec) co_return make_error("DNS over TCP: " + rec.message());
  co_return parse_reply(reply, query.id, query.name, query.type);
}

awaitable<Result<DnsReply>> ask_tcp(const asio::any_io_executor& executor, const tcp::endpoint& to,
                                    const Query& query, std::chrono::milliseconds timeout) {
  tcp::socket socket(executor);
  asio::steady_timer timer(executor, timeout);
  auto connected = co_await (socket.async_connect(to, kUseTuple) || timer.async_wait(kUseTuple));
  if (connected.index() == 1) co_return make_error("no answer from " + to.address().to_string());
  if (auto [ec] = std::get<0>(connected); ec) {
    co_return make_error("DNS over TCP to " + to.address().to_string() + ": " + ec.message());
  }
  auto done = co_await (exchange_tcp(socket, query) || timer.async_wait(kUseTuple));
  if (done.index() == 1) co_return make_error("no answer from " + to.address().to_string());
  co_return std::get<0>(std::move(done));
}

// One question to the nameservers in turn, `attempts` rounds; the first NOERROR or NXDOMAIN
// reply wins.
awaitable<Result<DnsReply>> ask(const asio::any_io_executor& executor, const ResolverConfig& config,
                                const Query& query) {
  std::string last_error = "no nameserver in resolv.conf";
  for (int attempt = 0; attempt < config.attempts; ++attempt) {
    for (const launchspec::IpAddress& server : config.nameservers) {
      const asio::ip::address address = to_asio(server);
      auto reply =
          co_await ask_udp(executor, udp::endpoint(address, kDnsPort), query, config.timeout);
      if (reply.ok() && reply->truncated) {
        reply = co_await ask_tcp(executor, tcp::endpoint(address, kDnsPort), query, config.timeout);
      }
      if (!reply.ok()) {
        last_error = reply.error().message;
        continue;
      }
      if (reply->rcode == kRcodeNoError || reply->rcode == kRcodeNxDomain) co_return reply;
      last_error = address.to_string() + " answered with rcode " + std::to_string(reply->rcode);
    }
  }
  co_return make_error(last_error);
}

}  // namespace

awaitable<Result<std::vector<launchspec::IpAddress>>> resolve_host(asio::any_io_executor executor,
                                                                   const ResolverConfig& config,
                                                                   std::string host) {
  if (auto literal = launchspec::parse_ip(host); literal.ok()) {
    co_return std::vector<launchspec::IpAddress>{*literal};
  }
  std::string plain = host;
  if (!plain.empty() && plain.back() == '.') plain.pop_back();
  for (char& c : plain) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  if (const auto found = config.hosts.find(plain); found != config.hosts.end()) {
    co_return found->second;
  }
  std::string failure = "no such host";
  for (const std::string& name : candidate_names(config, host)) {
    std::vector<launchspec::IpAddress> addresses;
    for (const std::uint16_t type : kTypes) {
      auto bytes = build_query(0, name, type);
      if (!bytes.ok()) break;
      Query query{name, type, random_id(), std::move(*bytes)};
      query.bytes[0] = static_cast<std::uint8_t>(query.id >> 8);    // NOLINT
      query.bytes[1] = static_cast<std::uint8_t>(query.id & 0xFF);  // NOLINT
      auto reply = co_await ask(executor, config, query);
      if (!reply.ok()) {
        failure = reply.error().message;
        continue;
      }
      addresses.insert(addresses.end(), reply->addresses.begin(), reply->addresses.end());
    }
    if (!addresses.empty()) co_return addresses;
  }
  co_return make_error(failure);
}

}  // namespace jk::launcher::proxy
