#include "launcher/jail/seccompjail/target.h"

#include <netinet/in.h>

#include <cstring>

namespace jk::launcher::jail {
namespace {

constexpr std::size_t kMappedPrefix = 12;  // ::ffff:0:0/96 = 10 zero bytes + 0xff 0xff

bool is_v4_mapped(const sockaddr_in6& v6) { return IN6_IS_ADDR_V4MAPPED(&v6.sin6_addr) != 0; }

sys::Endpoint unmap(const sockaddr_in6& v6) {
  sys::Endpoint e;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&e.address);  // NOLINT: the sockaddr API
  v4->sin_family = AF_INET;
  v4->sin_port = v6.sin6_port;
  std::memcpy(&v4->sin_addr, v6.sin6_addr.s6_addr + kMappedPrefix, sizeof(v4->sin_addr));
  e.length = sizeof(sockaddr_in);
  return e;
}

Result<sys::Endpoint> ip_endpoint(std::span<const std::byte> bytes, int family) {
  sockaddr_storage storage{};
  std::memcpy(&storage, bytes.data(), bytes.size());
  auto endpoint =
      sys::endpoint_from_sockaddr(reinterpret_cast<const sockaddr*>(&storage),  // NOLINT
                                  static_cast<socklen_t>(bytes.size()));
  if (!endpoint.ok() || family != AF_INET6) return endpoint;
  const auto* v6 = reinterpret_cast<const sockaddr_in6*>(&endpoint->address);  // NOLINT
  if (is_v4_mapped(*v6)) return unmap(*v6);
  return endpoint;
}

}  // namespace

Result<Target> parse_target(std::span<const std::byte> bytes) {
  if (bytes.size() < sizeof(sa_family_t)) return make_error("address too short");
  if (bytes.size() > sizeof(sockaddr_storage)) return make_error("address too long");
  Target target;
  sa_family_t family = 0;
  std::memcpy(&family, bytes.data(), sizeof(family));
  target.family = family;
  target.raw.assign(reinterpret_cast<const char*>(bytes.data()), bytes.size());  // NOLINT
  if (family == AF_INET || family == AF_INET6) {
    JK_TRY(target.endpoint, ip_endpoint(bytes, family));
  }
  return target;
}

Result<sys::Endpoint> endpoint_for_domain(const sys::Endpoint& endpoint, int domain) {
  if (endpoint.family() == domain) return endpoint;
  if (domain == AF_INET6 && endpoint.family() == AF_INET) {
    return sys::parse_endpoint("::ffff:" + endpoint.host(), endpoint.port());
  }
  return make_error("cannot reach " + endpoint.to_string() + " from an IPv4 socket");
}

}  // namespace jk::launcher::jail
