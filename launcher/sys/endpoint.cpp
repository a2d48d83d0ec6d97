#include "launcher/sys/endpoint.h"

#include <arpa/inet.h>

#include <array>
#include <cstring>

namespace jk::launcher::sys {
namespace {

const sockaddr_in* as_v4(const sockaddr_storage& s) {
  return reinterpret_cast<const sockaddr_in*>(&s);  // NOLINT: the sockaddr API
}
const sockaddr_in6* as_v6(const sockaddr_storage& s) {
  return reinterpret_cast<const sockaddr_in6*>(&s);  // NOLINT: the sockaddr API
}

}  // namespace

std::uint16_t Endpoint::port() const {
  if (family() == AF_INET) return ntohs(as_v4(address)->sin_port);
  if (family() == AF_INET6) return ntohs(as_v6(address)->sin6_port);
  return 0;
}

std::string Endpoint::host() const {
  std::array<char, INET6_ADDRSTRLEN> text{};
  const void* raw = nullptr;
  if (family() == AF_INET) raw = &as_v4(address)->sin_addr;
  if (family() == AF_INET6) raw = &as_v6(address)->sin6_addr;
  if (raw == nullptr || ::inet_ntop(family(), raw, text.data(), text.size()) == nullptr) return {};
  return text.data();
}

std::string Endpoint::to_string() const {
  const std::string h = host();
  const std::string p = std::to_string(port());
  return family() == AF_INET6 ? "[" + h + "]:" + p : h + ":" + p;
}

Result<Endpoint> endpoint_from_sockaddr(const sockaddr* addr, socklen_t length) {
  if (addr == nullptr) return make_error("no address");
  Endpoint e;
  if (addr->sa_family == AF_INET && length >= sizeof(sockaddr_in)) {
    e.length = sizeof(sockaddr_in);
  } else if (addr->sa_family == AF_INET6 && length >= sizeof(sockaddr_in6)) {
    e.length = sizeof(sockaddr_in6);
  } else {
    return make_error("not an IPv4/IPv6 address (family " + std::to_string(addr->sa_family) +
                      ", length " + std::to_string(length) + ")");
  }
  std::memcpy(&e.address, addr, e.length);
  return e;
}

Result<Endpoint> parse_endpoint(const std::string& host, std::uint16_t port) {
  std::string h = host;
  if (h.size() >= 2 && h.front() == '[' && h.back() == ']') h = h.substr(1, h.size() - 2);
  Endpoint e;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&e.address);  // NOLINT: the sockaddr API
  if (::inet_pton(AF_INET, h.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(port);
    e.length = sizeof(sockaddr_in);
    return e;
  }
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&e.address);  // NOLINT: the sockaddr API
  if (::inet_pton(AF_INET6, h.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(port);
    e.length = sizeof(sockaddr_in6);
    return e;
  }
  return make_error("not a numeric IPv4/IPv6 address: \"" + host + "\"");
}

}  // namespace jk::launcher::sys
