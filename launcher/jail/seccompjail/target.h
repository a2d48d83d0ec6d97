#pragma once
// The address an agent passed to connect/sendto/sendmsg, parsed once from the bytes the launcher
// copied out of the agent's memory (never re-read: no time-of-check/time-of-use race).
#include <sys/socket.h>

#include <cstddef>
#include <optional>
#include <span>
#include <string>

#include "common/result.h"
#include "launcher/sys/endpoint.h"

namespace jk::launcher::jail {

struct Target {
  int family = AF_UNSPEC;
  // AF_INET/AF_INET6; an IPv4-mapped IPv6 address (::ffff:a.b.c.d) becomes the IPv4 endpoint.
  std::optional<sys::Endpoint> endpoint;
  // The raw bytes (for families the launcher passes through, e.g. AF_UNIX paths).
  std::string raw;
};

// A too-short address, an AF_INET/AF_INET6 address shorter than its struct, or more than
// sizeof(sockaddr_storage) bytes are errors (the kernel would answer EINVAL).
Result<Target> parse_target(std::span<const std::byte> bytes);

// `endpoint` rewritten for a socket of `domain`: an IPv4 endpoint becomes ::ffff:a.b.c.d for an
// AF_INET6 socket; an IPv6 endpoint for an AF_INET socket is an error.
Result<sys::Endpoint> endpoint_for_domain(const sys::Endpoint& endpoint, int domain);

}  // namespace jk::launcher::jail
