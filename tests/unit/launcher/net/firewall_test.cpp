// The firewall as the kernel stores it, read back with `nft` (tests only), and as packets see it.
#include "launcher/net/firewall.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <linux/netfilter_ipv4.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <array>
#include <cstdio>
#include <cstring>
#include <string>

#include "launcher/net/dns_stub.h"
#include "launcher/net/jail_network.h"
#include "launcher/net/link.h"
#include "launcher/sys/unique_fd.h"
#include "tests/unit/launcher/net/netns_child.h"

namespace jk::launcher::net {
namespace {

using jk::launcher::testing::run_in_new_netns;
using sys::UniqueFd;

constexpr FirewallPorts kPorts{.relay_port = 15001, .dns_port = 15053};

std::string command_output(const char* command) {
  std::string out;
  FILE* pipe = ::popen(command, "r");
  if (pipe == nullptr) return "ERROR: popen";
  std::array<char, 512> buffer{};
  while (std::fgets(buffer.data(), buffer.size(), pipe) != nullptr) out += buffer.data();
  ::pclose(pipe);
  return out;
}

// lo up + route + firewall, or "ERROR: ..." naming the step.
std::string set_up_jail_network() {
  if (auto s = link_up("lo"); !s) return "ERROR: " + s.error().message;
  if (auto s = add_local_default_route("lo", AF_INET); !s) return "ERROR: " + s.error().message;
  if (auto s = add_local_default_route("lo", AF_INET6); !s) return "ERROR: " + s.error().message;
  if (auto s = install_firewall(kPorts); !s) return "ERROR: " + s.error().message;
  return {};
}

sockaddr_in ipv4(const char* address, std::uint16_t port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  ::inet_pton(AF_INET, address, &a.sin_addr);
  return a;
}

const sockaddr* as_sockaddr(const void* a) { return static_cast<const sockaddr*>(a); }
sockaddr* as_mutable_sockaddr(void* a) { return static_cast<sockaddr*>(a); }

UniqueFd bound_socket(int type, std::uint16_t port) {
  UniqueFd fd(::socket(AF_INET, type, 0));
  const sockaddr_in local = ipv4("127.0.0.1", port);
  if (::bind(fd.get(), as_sockaddr(&local), sizeof(local)) != 0) return {};
  if (type == SOCK_STREAM && ::listen(fd.get(), 4) != 0) return {};
  return fd;
}

TEST(FirewallTest, KernelHoldsExactlyTheDocumentedRuleset) {
  const std::string out = run_in_new_netns([] {
    std::string error = set_up_jail_network();
    return error.empty() ? command_output("nft list ruleset 2>&1") : error;
  });
  JK_SKIP_IF_NO_NETNS(out);
  EXPECT_EQ(out,
            "table ip jailkeeper {\n"
            "\tchain nat_output {\n"
            "\t\ttype nat hook output priority -100; policy accept;\n"
            "\t\tip daddr 127.0.0.1 tcp dport 15001 accept\n"
            "\t\tmeta l4proto tcp redirect to :15001\n"
            "\t\tudp dport 53 redirect to :15053\n"
            "\t}\n"
            "\n"
            "\tchain filter_output {\n"
            "\t\ttype filter hook output priority filter; policy drop;\n"
            "\t\tip daddr 127.0.0.1 tcp dport 15001 accept\n"
            "\t\tip saddr 127.0.0.1 tcp sport 15001 accept\n"
            "\t\tip daddr 127.0.0.1 udp dport 15053 accept\n"
            "\t\tip saddr 127.0.0.1 udp sport 15053 accept\n"
            "\t}\n"
            "}\n"
            "table ip6 jailkeeper {\n"
            "\tchain nat_output {\n"
            "\t\ttype nat hook output priority -100; policy accept;\n"
            "\t\tudp dport 53 redirect to :15053\n"
            "\t}\n"
            "\n"
            "\tchain filter_output {\n"
            "\t\ttype filter hook output priority filter; policy drop;\n"
            "\t\tip6 daddr ::1 udp dport 15053 accept\n"
            "\t\tip6 saddr ::1 udp sport 15053 accept\n"
            "\t\ttcp flags rst accept\n"
            "\t\treject with tcp reset\n"
            "\t}\n"
            "}\n");
}

std::string errno_name(int error) { return error == 0 ? "ok" : std::strerror(error); }

// connect() from inside the jail network; "ok" or the errno text.
std::string try_connect(int family, const void* address, socklen_t length) {
  UniqueFd fd(::socket(family, SOCK_STREAM, 0));
  const timeval bound{.tv_sec = 5, .tv_usec = 0};  // a dropped SYN must not hang the test
  ::setsockopt(fd.get(), SOL_SOCKET, SO_SNDTIMEO, &bound, sizeof(bound));
  return errno_name(::connect(fd.get(), as_sockaddr(address), length) == 0 ? 0 : errno);
}

TEST(FirewallTest, TcpToAnyIpv4AddressEndsAtTheRelayWithItsOriginalDestination) {
  const std::string out = run_in_new_netns([] {
    if (std::string error = set_up_jail_network(); !error.empty()) return error;
    UniqueFd relay = bound_socket(SOCK_STREAM, kPorts.relay_port);
    const sockaddr_in target = ipv4("10.1.2.3", 80);
    UniqueFd client(::socket(AF_INET, SOCK_STREAM, 0));
    if (::connect(client.get(), as_sockaddr(&target), sizeof(target)) != 0) {
      return "ERROR: connect: " + errno_name(errno);
    }
    UniqueFd accepted(::accept(relay.get(), nullptr, nullptr));
    sockaddr_in original{};
    socklen_t length = sizeof(original);
    if (::getsockopt(accepted.get(), SOL_IP, SO_ORIGINAL_DST, &original, &length) != 0) {
      return "ERROR: SO_ORIGINAL_DST: " + errno_name(errno);
    }
    std::array<char, INET_ADDRSTRLEN> text{};
    ::inet_ntop(AF_INET, &original.sin_addr, text.data(), text.size());
    return std::string(text.data()) + ":" + std::to_string(ntohs(original.sin_port));
  });
  JK_SKIP_IF_NO_NETNS(out);
  EXPECT_EQ(out, "10.1.2.3:80");
}

TEST(FirewallTest, DnsToAnyServerEndsAtTheStubAndOtherUdpIsDropped) {
  const std::string out = run_in_new_netns([] {
    if (std::string error = set_up_jail_network(); !error.empty()) return error;
    UniqueFd stub = bound_socket(SOCK_DGRAM, kPorts.dns_port);
    UniqueFd other = bound_socket(SOCK_DGRAM, 9999);
    UniqueFd client(::socket(AF_INET, SOCK_DGRAM, 0));
    const sockaddr_in resolver = ipv4("10.96.0.10", 53);
    const sockaddr_in local_service = ipv4("127.0.0.1", 9999);
    const char query[] = "q";
    std::string result;
    result += "dns:" + errno_name(::sendto(client.get(), query, 1, 0, as_sockaddr(&resolver),
                                           sizeof(resolver)) == 1
                                      ? 0
                                      : errno);
    std::array<char, 8> got{};
    result +=
        " stub-got:" + std::to_string(::recv(stub.get(), got.data(), got.size(), MSG_DONTWAIT));
    result +=
        " other:" + errno_name(::sendto(client.get(), query, 1, 0, as_sockaddr(&local_service),
                                        sizeof(local_service)) == 1
                                   ? 0
                                   : errno);
    return result;
  });
  JK_SKIP_IF_NO_NETNS(out);
  EXPECT_EQ(out, "dns:ok stub-got:1 other:Operation not permitted");
}

// The stub's socket as the nsjail child makes it: [::]:port, IPv4 as mapped addresses.
UniqueFd dual_stack_socket(std::uint16_t port) {
  UniqueFd fd(::socket(AF_INET6, SOCK_DGRAM, 0));
  const int off = 0;
  ::setsockopt(fd.get(), IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off));
  sockaddr_in6 any{};
  any.sin6_family = AF_INET6;
  any.sin6_port = htons(port);
  any.sin6_addr = in6addr_any;
  if (::bind(fd.get(), as_sockaddr(&any), sizeof(any)) != 0) return {};
  return fd;
}

// One DNS query from the agent to `resolver`, answered by the real stub behind the firewall;
// "<from>:<port> id <id>" of the answer (its source is the resolver again, un-NATed), or the
// errno of the failing step.
std::string dns_round_trip(const void* resolver, socklen_t length) {
  const int family = static_cast<const sockaddr*>(resolver)->sa_family;
  UniqueFd client(::socket(family, SOCK_DGRAM, 0));
  const timeval bound{.tv_sec = 5, .tv_usec = 0};
  ::setsockopt(client.get(), SOL_SOCKET, SO_RCVTIMEO, &bound, sizeof(bound));
  // ID 0x1234, RD, one question: "a" A IN.
  const std::array<std::uint8_t, 19> query = {0x12, 0x34, 1, 0,   0, 1, 0, 0, 0, 0,
                                              0,    0,    1, 'a', 0, 0, 1, 0, 1};
  if (::sendto(client.get(), query.data(), query.size(), 0, as_sockaddr(resolver), length) !=
      static_cast<ssize_t>(query.size())) {
    return "send:" + errno_name(errno);
  }
  std::array<std::uint8_t, 512> answer{};
  sockaddr_in6 from{};  // large enough for either family
  socklen_t from_length = sizeof(from);
  if (::recvfrom(client.get(), answer.data(), answer.size(), 0, as_mutable_sockaddr(&from),
                 &from_length) < 2) {
    return "answer:" + errno_name(errno);
  }
  std::array<char, INET6_ADDRSTRLEN> text{};
  std::uint16_t port = 0;
  if (family == AF_INET6) {
    ::inet_ntop(AF_INET6, &from.sin6_addr, text.data(), text.size());
    port = ntohs(from.sin6_port);
  } else {
    const auto* from4 = reinterpret_cast<const sockaddr_in*>(&from);  // NOLINT
    ::inet_ntop(AF_INET, &from4->sin_addr, text.data(), text.size());
    port = ntohs(from4->sin_port);
  }
  return std::string(text.data()) + ":" + std::to_string(port) + " id " +
         std::to_string(answer[0] << 8 | answer[1]);
}

TEST(FirewallTest, DnsOverEitherFamilyReachesTheStubOnOneDualStackSocket) {
  const std::string out = run_in_new_netns([] {
    if (std::string error = set_up_jail_network(); !error.empty()) return error;
    UniqueFd socket = dual_stack_socket(kPorts.dns_port);
    if (!socket) return "ERROR: dual-stack socket: " + errno_name(errno);
    auto stub = DnsStub::start(std::move(socket), {});
    if (!stub.ok()) return "ERROR: " + stub.error().message;
    const sockaddr_in v4 = ipv4("10.96.0.10", 53);
    sockaddr_in6 v6{};
    v6.sin6_family = AF_INET6;
    v6.sin6_port = htons(53);
    ::inet_pton(AF_INET6, "fd00:10:96::a", &v6.sin6_addr);
    return "v4 " + dns_round_trip(&v4, sizeof(v4)) + ", v6 " + dns_round_trip(&v6, sizeof(v6));
  });
  JK_SKIP_IF_NO_NETNS(out);
  EXPECT_EQ(out, "v4 10.96.0.10:53 id 4660, v6 fd00:10:96::a:53 id 4660");
}

TEST(FirewallTest, Ipv6AndIcmpNeverLeave) {
  const std::string out = run_in_new_netns([] {
    if (std::string error = set_up_jail_network(); !error.empty()) return error;
    sockaddr_in6 remote{};
    remote.sin6_family = AF_INET6;
    remote.sin6_port = htons(443);
    ::inet_pton(AF_INET6, "2001:db8::5", &remote.sin6_addr);
    sockaddr_in6 loopback = remote;
    loopback.sin6_addr = in6addr_loopback;
    UniqueFd ping(::socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP));
    const sockaddr_in target = ipv4("10.1.2.3", 0);
    const std::array<std::uint8_t, 8> echo{8, 0, 0, 0, 0, 1, 0, 1};  // ICMP echo request
    const bool ping_sent = ping && ::sendto(ping.get(), echo.data(), echo.size(), 0,
                                            as_sockaddr(&target), sizeof(target)) > 0;
    return "remote6:" + try_connect(AF_INET6, &remote, sizeof(remote)) +
           " loopback6:" + try_connect(AF_INET6, &loopback, sizeof(loopback)) +
           " ping:" + (ping_sent ? "sent" : "refused");
  });
  JK_SKIP_IF_NO_NETNS(out);
  EXPECT_EQ(out, "remote6:Connection refused loopback6:Connection refused ping:refused");
}

TEST(FirewallTest, AJailWithoutIpv6GetsNoIpv6AtAllInsteadOfFailing) {
  // disable_ipv6 on lo (per network namespace, like ipv6.disable=1 for the jail): the IPv6 route
  // cannot be added, so the jail is built without IPv6 DNS: an ip6 table that drops everything.
  const std::string out = run_in_new_netns([] {
    FILE* sysctl = std::fopen("/proc/sys/net/ipv6/conf/lo/disable_ipv6", "w");
    if (sysctl == nullptr) return std::string("ERROR: no IPv6 sysctl here");
    std::fputs("1", sysctl);
    std::fclose(sysctl);
    if (auto s = build_jail_network(kPorts); !s) return "ERROR: " + s.error().message;
    const std::string ruleset = command_output("nft list table ip6 jailkeeper 2>&1");
    sockaddr_in6 remote{};
    remote.sin6_family = AF_INET6;
    remote.sin6_port = htons(443);
    ::inet_pton(AF_INET6, "2001:db8::5", &remote.sin6_addr);
    return ruleset + "remote6:" + try_connect(AF_INET6, &remote, sizeof(remote));
  });
  JK_SKIP_IF_NO_NETNS(out);
  EXPECT_EQ(out,
            "table ip6 jailkeeper {\n"
            "\tchain filter_output {\n"
            "\t\ttype filter hook output priority filter; policy drop;\n"
            "\t}\n"
            "}\n"
            "remote6:Cannot assign requested address");
}

TEST(FirewallTest, KernelErrorsNameTheRequest) {
  const std::string out = run_in_new_netns([] {
    const Status status = link_up("nosuchif0");
    return status ? std::string("ok") : status.error().message;
  });
  JK_SKIP_IF_NO_NETNS(out);
  EXPECT_EQ(out, "set link nosuchif0 up: No such device");
}

}  // namespace
}  // namespace jk::launcher::net
