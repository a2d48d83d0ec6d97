#include "launcher/proxy/socket_addresses.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6/ip6_tables.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

namespace jk::launcher::proxy {
namespace {

bool same_address(const sys::Endpoint& a, const sys::Endpoint& b) {
  return a.family() == b.family() && a.host() == b.host() && a.port() == b.port();
}

bool is_wildcard(const sys::Endpoint& e) { return e.host() == "0.0.0.0" || e.host() == "::"; }

bool is_loopback(const sys::Endpoint& e) {
  const std::string host = e.host();
  return host.starts_with("127.") || host == "::1" || host.starts_with("::ffff:127.");
}

}  // namespace

Result<sys::Endpoint> local_endpoint(int fd) {
  sockaddr_storage storage{};
  socklen_t length = sizeof storage;
  // NOLINTNEXTLINE: the sockaddr API
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&storage), &length) != 0) {
    return make_error(std::string("getsockname: ") + std::strerror(errno));
  }
  return sys::endpoint_from_sockaddr(reinterpret_cast<const sockaddr*>(&storage),
                                     length);  // NOLINT
}

std::optional<sys::Endpoint> original_destination(int fd) {
  const auto local = local_endpoint(fd);
  if (!local.ok()) return std::nullopt;
  sockaddr_storage storage{};
  socklen_t length = sizeof storage;
  const bool v6 = local->family() == AF_INET6;
  const int level = v6 ? SOL_IPV6 : SOL_IP;
  const int option = v6 ? IP6T_SO_ORIGINAL_DST : SO_ORIGINAL_DST;
  if (::getsockopt(fd, level, option, &storage, &length) != 0) return std::nullopt;
  auto destination =
      sys::endpoint_from_sockaddr(reinterpret_cast<const sockaddr*>(&storage), length);  // NOLINT
  if (!destination.ok() || same_address(*destination, *local)) return std::nullopt;
  return *destination;
}

bool reaches_listener(const sys::Endpoint& target, const sys::Endpoint& own) {
  if (target.port() != own.port()) return false;
  return same_address(target, own) || is_wildcard(own) || is_loopback(target);
}

launchspec::IpAddress ip_of(const sys::Endpoint& endpoint) {
  launchspec::IpAddress out;
  out.family = endpoint.family();
  if (out.family == AF_INET) {
    const auto* v4 = reinterpret_cast<const sockaddr_in*>(&endpoint.address);  // NOLINT
    std::memcpy(out.bytes.data(), &v4->sin_addr, sizeof v4->sin_addr);
  } else {
    const auto* v6 = reinterpret_cast<const sockaddr_in6*>(&endpoint.address);  // NOLINT
    std::memcpy(out.bytes.data(), &v6->sin6_addr, sizeof v6->sin6_addr);
  }
  return out;
}

std::vector<launchspec::IpAddress> interface_addresses() {
  std::vector<launchspec::IpAddress> out;
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) return out;
  for (const ifaddrs* entry = list; entry != nullptr; entry = entry->ifa_next) {
    const sockaddr* addr = entry->ifa_addr;
    if (addr == nullptr || (addr->sa_family != AF_INET && addr->sa_family != AF_INET6)) continue;
    const socklen_t length =
        addr->sa_family == AF_INET ? sizeof(sockaddr_in) : sizeof(sockaddr_in6);
    auto endpoint = sys::endpoint_from_sockaddr(addr, length);
    if (endpoint.ok()) out.push_back(ip_of(*endpoint));
  }
  freeifaddrs(list);
  return out;
}

}  // namespace jk::launcher::proxy
