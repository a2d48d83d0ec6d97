// What seccompjail does with each address-carrying call: one row per rule.
#include "launcher/jail/seccompjail/policy.h"

#include <netinet/in.h>

#include <cerrno>
#include <string>

#include <gtest/gtest.h>

namespace jk::launcher::jail {
namespace {

const sys::SocketKind kTcp4{AF_INET, SOCK_STREAM, IPPROTO_TCP};
const sys::SocketKind kTcp6{AF_INET6, SOCK_STREAM, 0};
const sys::SocketKind kMptcp{AF_INET, SOCK_STREAM, 262};
const sys::SocketKind kSctp{AF_INET, SOCK_STREAM, IPPROTO_SCTP};
const sys::SocketKind kUdp4{AF_INET, SOCK_DGRAM, IPPROTO_UDP};
const sys::SocketKind kUdp6{AF_INET6, SOCK_DGRAM, 0};
const sys::SocketKind kUnix{AF_UNIX, SOCK_STREAM, 0};
const sys::SocketKind kNetlink{AF_NETLINK, SOCK_RAW, 0};
const sys::SocketKind kVsock{40, SOCK_STREAM, 0};

Target ip(const std::string& host, std::uint16_t port) {
  Target t;
  t.endpoint = *sys::parse_endpoint(host, port);
  t.family = t.endpoint->family();
  return t;
}
Target family_only(int family) {
  Target t;
  t.family = family;
  return t;
}

struct Case {
  std::string name;
  SeccompjailPolicy policy;
  Request request;
  Action action;
  int error;
};

TEST(SeccompjailPolicy, DecidesEveryAddressCarryingCall) {
  const SeccompjailPolicy standard;
  const SeccompjailPolicy no_unix{false};
  const Case cases[] = {
      {"TCP connect anywhere -> proxy",
       standard,
       {Call::kConnect, kTcp4, true, ip("192.0.2.1", 443)},
       Action::kRedirectToProxy,
       0},
      {"TCP connect to loopback -> proxy too",
       standard,
       {Call::kConnect, kTcp4, true, ip("127.0.0.1", 8080)},
       Action::kRedirectToProxy,
       0},
      {"TCP over IPv6 -> proxy",
       standard,
       {Call::kConnect, kTcp6, true, ip("2001:db8::1", 443)},
       Action::kRedirectToProxy,
       0},
      {"MPTCP -> proxy (plain TCP)",
       standard,
       {Call::kConnect, kMptcp, true, ip("192.0.2.1", 443)},
       Action::kRedirectToProxy,
       0},
      {"SCTP refused",
       standard,
       {Call::kConnect, kSctp, true, ip("192.0.2.1", 443)},
       Action::kRefuse,
       EACCES},
      {"UDP connect to 53 -> stub",
       standard,
       {Call::kConnect, kUdp4, true, ip("10.0.0.2", 53)},
       Action::kDnsStub,
       0},
      {"UDP sendto 53 over IPv6 -> stub",
       standard,
       {Call::kSend, kUdp6, true, ip("2001:db8::53", 53)},
       Action::kDnsStub,
       0},
      {"UDP to any host on 53 -> stub (never passed through)",
       standard,
       {Call::kSend, kUdp4, true, ip("203.0.113.9", 53)},
       Action::kDnsStub,
       0},
      {"UDP elsewhere refused",
       standard,
       {Call::kSend, kUdp4, true, ip("127.0.0.1", 5353)},
       Action::kRefuse,
       EACCES},
      {"UDP NTP refused",
       standard,
       {Call::kConnect, kUdp4, true, ip("192.0.2.1", 123)},
       Action::kRefuse,
       EACCES},
      {"UDP disconnect (AF_UNSPEC)",
       standard,
       {Call::kConnect, kUdp4, true, family_only(AF_UNSPEC)},
       Action::kPassThrough,
       0},
      {"IPv4 socket, unix address",
       standard,
       {Call::kConnect, kTcp4, true, family_only(AF_UNIX)},
       Action::kRefuse,
       EAFNOSUPPORT},
      {"send without address on its own socket",
       standard,
       {Call::kSend, kUdp4, false, {}},
       Action::kPassThrough,
       0},
      {"TCP send with an address: the address is dropped",
       standard,
       {Call::kSend, kTcp4, true, ip("192.0.2.1", 80)},
       Action::kPassThrough,
       0},
      {"TCP fast open refused",
       standard,
       {Call::kSend, kTcp4, true, ip("192.0.2.1", 80), true},
       Action::kRefuse,
       EOPNOTSUPP},
      {"unix connect allowed by default",
       standard,
       {Call::kConnect, kUnix, true, family_only(AF_UNIX)},
       Action::kPassThrough,
       0},
      {"unix connect refused by configuration",
       no_unix,
       {Call::kConnect, kUnix, true, family_only(AF_UNIX)},
       Action::kRefuse,
       EACCES},
      {"unix send without address stays allowed",
       no_unix,
       {Call::kSend, kUnix, false, {}},
       Action::kPassThrough,
       0},
      {"netlink route",
       standard,
       {Call::kSend, kNetlink, true, family_only(AF_NETLINK)},
       Action::kPassThrough,
       0},
      {"vsock (Firecracker host) refused",
       standard,
       {Call::kConnect, kVsock, true, family_only(40)},
       Action::kRefuse,
       EACCES},
  };
  for (const auto& c : cases) {
    const Verdict v = decide(c.policy, c.request);
    EXPECT_EQ(v.action, c.action) << c.name << ": " << v.reason;
    EXPECT_EQ(v.error, c.error) << c.name << ": " << v.reason;
    EXPECT_FALSE(v.reason.empty()) << c.name;
  }
}

}  // namespace
}  // namespace jk::launcher::jail
