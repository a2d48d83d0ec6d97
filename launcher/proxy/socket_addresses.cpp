#include "launcher/proxy/socket_addresses.h"

#include <sys/socket.h>

#include <cstring>

#include "launcher/sys/socket.h"

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

std::optional<sys::Endpoint> original_destination(int fd) {
  const auto local = sys::local_endpoint(fd);
  if (!local.ok()) return std::nullopt;
  auto destination = sys::original_destination_option(fd, local->family());
  if (!destination || same_address(*destination, *local)) return std::nullopt;
  return destination;
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
  for (const sys::Endpoint& endpoint : sys::interface_endpoints()) out.push_back(ip_of(endpoint));
  return out;
}

}  // namespace jk::launcher::proxy
