// The DNS stub serving a UDP socket, in placeholder and forward mode; resolv.conf parsing.
#include "launcher/net/dns_stub.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <array>
#include <chrono>
#include <vector>

namespace jk::launcher::net {
namespace {

using Bytes = std::vector<std::uint8_t>;
using sys::UniqueFd;

const Bytes kQueryA = {0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 1, 'a', 0, 0, 1, 0, 1};

// A UDP socket bound to 127.0.0.1:<random>, with its endpoint.
struct Udp {
  UniqueFd fd;
  sys::Endpoint at;
};

Udp bound_udp() {
  Udp udp{UniqueFd(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)), {}};
  sockaddr_in local{};
  local.sin_family = AF_INET;
  local.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(udp.fd.get(), reinterpret_cast<const sockaddr*>(&local), sizeof(local));  // NOLINT
  udp.at.length = sizeof(sockaddr_in);
  ::getsockname(udp.fd.get(), reinterpret_cast<sockaddr*>(&udp.at.address),  // NOLINT
                &udp.at.length);
  return udp;
}

void send_to(const Udp& from, const sys::Endpoint& to, const Bytes& bytes) {
  ASSERT_EQ(::sendto(from.fd.get(), bytes.data(), bytes.size(), 0, to.sockaddr_ptr(), to.length),
            static_cast<ssize_t>(bytes.size()));
}

// Blocks until a datagram arrives (the stub always answers these queries).
Bytes receive(const Udp& on, sys::Endpoint* from = nullptr) {
  Bytes bytes(512);
  sys::Endpoint sender;
  sender.length = sizeof(sender.address);
  const ssize_t n = ::recvfrom(on.fd.get(), bytes.data(), bytes.size(), 0,
                               reinterpret_cast<sockaddr*>(&sender.address),  // NOLINT
                               &sender.length);
  bytes.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
  if (from != nullptr) *from = sender;
  return bytes;
}

TEST(DnsStubTest, AnswersQueriesWithThePlaceholder) {
  Udp served = bound_udp();
  const sys::Endpoint stub_at = served.at;
  auto stub = DnsStub::start(std::move(served.fd), {});
  ASSERT_TRUE(stub.ok()) << stub.error().message;
  const Udp client = bound_udp();
  send_to(client, stub_at, kQueryA);
  const Bytes reply = receive(client);
  ASSERT_GE(reply.size(), 4u);
  EXPECT_EQ(Bytes(reply.end() - 4, reply.end()), (Bytes{6, 6, 6, 6}));
  (*stub)->stop();
}

TEST(DnsStubTest, ForwardModeRelaysToTheUpstreamAndBack) {
  Udp served = bound_udp();
  const sys::Endpoint stub_at = served.at;
  const Udp upstream = bound_udp();
  auto stub = DnsStub::start(std::move(served.fd), {.upstream = upstream.at});
  ASSERT_TRUE(stub.ok()) << stub.error().message;
  const Udp client = bound_udp();
  send_to(client, stub_at, kQueryA);
  sys::Endpoint relay;
  EXPECT_EQ(receive(upstream, &relay), kQueryA);
  const Bytes upstream_reply = {0x12, 0x34, 0x81, 0x80, 'r', 'e', 'a', 'l'};
  send_to(upstream, relay, upstream_reply);
  EXPECT_EQ(receive(client), upstream_reply);
}

// Bounds every receive on `udp` (a guard against a hang, never a measured time).
void give_up_after_seconds(const Udp& udp, long seconds) {
  const timeval bound{.tv_sec = seconds, .tv_usec = 0};
  ::setsockopt(udp.fd.get(), SOL_SOCKET, SO_RCVTIMEO, &bound, sizeof(bound));
}

TEST(DnsStubTest, ALostUpstreamReplyHoldsUpOnlyItsOwnQuery) {
  Udp served = bound_udp();
  const sys::Endpoint stub_at = served.at;
  const Udp upstream = bound_udp();
  give_up_after_seconds(upstream, 5);
  DnsStubOptions options{.upstream = upstream.at, .upstream_timeout = std::chrono::seconds(60)};
  auto stub = DnsStub::start(std::move(served.fd), options);
  ASSERT_TRUE(stub.ok()) << stub.error().message;
  const Udp first = bound_udp();
  const Udp second = bound_udp();
  give_up_after_seconds(second, 5);
  send_to(first, stub_at, kQueryA);
  EXPECT_EQ(receive(upstream), kQueryA);  // never answered
  Bytes query_b = kQueryA;
  query_b[1] = 0x35;
  send_to(second, stub_at, query_b);
  sys::Endpoint relay;
  // Served one at a time, this query would reach the upstream only after the first one's 60 s.
  EXPECT_EQ(receive(upstream, &relay), query_b);
  const Bytes reply_b = {0x12, 0x35, 0x81, 0x80, 'b'};
  send_to(upstream, relay, reply_b);
  EXPECT_EQ(receive(second), reply_b);
  (*stub)->stop();
}

struct ResolvCase {
  const char* text;
  const char* expected;  // endpoint or "error"
};

TEST(DnsStubTest, NameserverIsTheFirstUsableResolvConfLine) {
  const std::vector<ResolvCase> cases = {
      {"search svc.cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n", "10.96.0.10:53"},
      {"nameserver   fd00::a\n", "[fd00::a]:53"},
      {"nameserver fe80::1%eth0\n", "[fe80::1]:53"},
      {"# nameserver 1.1.1.1\nnameserver bogus\nnameserver 9.9.9.9\n", "9.9.9.9:53"},
      {"search x\n", "error"},
      {"", "error"},
  };
  for (const ResolvCase& c : cases) {
    const auto endpoint = nameserver_from_resolv_conf(c.text);
    EXPECT_EQ(endpoint ? endpoint->to_string() : "error", c.expected) << c.text;
  }
}

}  // namespace
}  // namespace jk::launcher::net
