#pragma once
// Socket address decisions for the proxy: the original destination of a redirected connection,
// whether a target is the proxy itself, the pod's own addresses. (Its own address:
// sys::local_endpoint.)
#include <optional>
#include <vector>

#include "common/result.h"
#include "launcher/sys/endpoint.h"
#include "launchspec/address_prefix.h"

namespace jk::launcher::proxy {

// SO_ORIGINAL_DST (IPv4) / IP6T_SO_ORIGINAL_DST (IPv6); none when the connection was not
// redirected (no conntrack entry) or the kernel reports the socket's own local address.
std::optional<sys::Endpoint> original_destination(int fd);
// True when connecting to `target` would reach the listener at `own`: same port and the same
// address, or `own` is a wildcard address, or `target` is a loopback address.
bool reaches_listener(const sys::Endpoint& target, const sys::Endpoint& own);
// Every address on this network namespace's interfaces (getifaddrs); empty when it fails.
std::vector<launchspec::IpAddress> interface_addresses();
// The address of an endpoint.
launchspec::IpAddress ip_of(const sys::Endpoint& endpoint);

}  // namespace jk::launcher::proxy
