// Parsing the address an agent passed (copied once from its memory).
#include "launcher/jail/seccompjail/target.h"

#include <arpa/inet.h>
#include <sys/un.h>

#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace jk::launcher::jail {
namespace {

std::vector<std::byte> v4(const char* ip, std::uint16_t port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  inet_pton(AF_INET, ip, &a.sin_addr);
  std::vector<std::byte> out(sizeof(a));
  std::memcpy(out.data(), &a, sizeof(a));
  return out;
}

std::vector<std::byte> v6(const char* ip, std::uint16_t port) {
  sockaddr_in6 a{};
  a.sin6_family = AF_INET6;
  a.sin6_port = htons(port);
  inet_pton(AF_INET6, ip, &a.sin6_addr);
  std::vector<std::byte> out(sizeof(a));
  std::memcpy(out.data(), &a, sizeof(a));
  return out;
}

std::vector<std::byte> unix_path(const std::string& path) {
  sockaddr_un a{};
  a.sun_family = AF_UNIX;
  std::memcpy(a.sun_path, path.data(), path.size());
  std::vector<std::byte> out(offsetof(sockaddr_un, sun_path) + path.size() + 1);
  std::memcpy(out.data(), &a, out.size());
  return out;
}

std::vector<std::byte> truncated(std::vector<std::byte> bytes, std::size_t size) {
  bytes.resize(size);
  return bytes;
}

constexpr int kAnyFamily = -1;  // error rows

struct Case {
  std::string name;
  std::vector<std::byte> bytes;
  std::optional<std::string> endpoint;  // nullopt: no IP endpoint
  int family;
  bool error;
};

TEST(SeccompjailTarget, ParsesWhatTheAgentPassedOnce) {
  const Case cases[] = {
      {"IPv4", v4("192.0.2.1", 443), "192.0.2.1:443", AF_INET, false},
      {"IPv6", v6("2001:db8::1", 80), "[2001:db8::1]:80", AF_INET6, false},
      {"IPv4-mapped IPv6 is the IPv4 destination", v6("::ffff:10.1.2.3", 8080), "10.1.2.3:8080",
       AF_INET6, false},
      {"IPv6 loopback", v6("::1", 1), "[::1]:1", AF_INET6, false},
      {"unix path keeps its bytes", unix_path("/run/x.sock"), std::nullopt, AF_UNIX, false},
      {"AF_UNSPEC (disconnect)", truncated(v4("0.0.0.0", 0), 2), std::nullopt, AF_UNSPEC, false},
      {"short IPv4", truncated(v4("192.0.2.1", 1), 8), std::nullopt, kAnyFamily, true},
      {"short IPv6", truncated(v6("::1", 1), 20), std::nullopt, kAnyFamily, true},
      {"one byte", truncated(v4("192.0.2.1", 1), 1), std::nullopt, kAnyFamily, true},
      {"longer than sockaddr_storage", std::vector<std::byte>(sizeof(sockaddr_storage) + 1),
       std::nullopt, kAnyFamily, true},
  };
  for (const auto& c : cases) {
    auto bytes = c.bytes;
    if (c.family == AF_UNSPEC) std::memset(bytes.data(), 0, bytes.size());
    const auto target = parse_target(bytes);
    ASSERT_EQ(!target.ok(), c.error) << c.name;
    if (c.error) continue;
    EXPECT_EQ(target->family, c.family) << c.name;
    EXPECT_EQ(target->raw.size(), bytes.size()) << c.name;
    ASSERT_EQ(target->endpoint.has_value(), c.endpoint.has_value()) << c.name;
    if (c.endpoint) {
      EXPECT_EQ(target->endpoint->to_string(), *c.endpoint) << c.name;
    }
  }
}

TEST(SeccompjailTarget, EndpointForTheAgentSocketFamily) {
  const auto stub = *sys::parse_endpoint("127.0.0.1", 5353);
  EXPECT_EQ(endpoint_for_domain(stub, AF_INET)->to_string(), "127.0.0.1:5353");
  EXPECT_EQ(endpoint_for_domain(stub, AF_INET6)->to_string(), "[::ffff:127.0.0.1]:5353");
  const auto six = *sys::parse_endpoint("::1", 1);
  EXPECT_EQ(endpoint_for_domain(six, AF_INET6)->to_string(), "[::1]:1");
  EXPECT_FALSE(endpoint_for_domain(six, AF_INET).ok());
}

}  // namespace
}  // namespace jk::launcher::jail
