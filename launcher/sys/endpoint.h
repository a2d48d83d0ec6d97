#pragma once
// Endpoint: an IPv4 or IPv6 address and port, converted to and from sockaddr. Used for the
// original destination of a redirected connection (nsjail: SO_ORIGINAL_DST; seccompjail: the
// address the agent passed to connect) and for listen addresses.
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdint>
#include <string>

#include "common/result.h"

namespace jk::launcher::sys {

struct Endpoint {
  sockaddr_storage address{};  // AF_INET or AF_INET6, port in network order inside
  socklen_t length = 0;

  [[nodiscard]] int family() const { return address.ss_family; }
  [[nodiscard]] std::uint16_t port() const;
  // "1.2.3.4" or "2001:db8::1" (no brackets, no port).
  [[nodiscard]] std::string host() const;
  // "1.2.3.4:443" or "[2001:db8::1]:443".
  [[nodiscard]] std::string to_string() const;

  [[nodiscard]] const sockaddr* sockaddr_ptr() const {
    return reinterpret_cast<const sockaddr*>(&address);  // NOLINT: the sockaddr API
  }
};

// From raw sockaddr bytes (e.g. read from another process); rejects families other than
// AF_INET/AF_INET6 and short lengths.
Result<Endpoint> endpoint_from_sockaddr(const sockaddr* addr, socklen_t length);
// From a numeric host ("127.0.0.1", "::1", "[::1]") and a port; no name resolution.
Result<Endpoint> parse_endpoint(const std::string& host, std::uint16_t port);

}  // namespace jk::launcher::sys
