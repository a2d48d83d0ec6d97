#pragma once
// Which upstream addresses the proxy refuses to connect to (issue 13, internal upstreams). An
// allowed name must not lead into the pod or the node: by default the proxy refuses loopback,
// unspecified ("this network", 0.0.0.0/8 and ::), link-local (169.254.0.0/16 with the instance
// metadata service at 169.254.169.254, fe80::/10), the AWS metadata/DNS/time prefix
// fd00:ec2::/64, Alibaba's metadata address 100.100.100.200, multicast, broadcast and reserved
// IPv4 (240.0.0.0/4), IPv4 inside IPv4-mapped or NAT64 (64:ff9b::/96) IPv6 judged as IPv4, and
// the pod's own interface addresses. Checked on every address the proxy is about to connect to,
// after resolution, for every connection (so a name that rebinds to 169.254.169.254 is refused
// the moment it does). `allow_internal` prefixes are the documented opt-in. Pure.
#include <string>
#include <vector>

#include "launchspec/address_prefix.h"

namespace jk::launcher::proxy {

struct UpstreamAddressPolicy {
  std::vector<launchspec::AddressPrefix> allow_internal;  // --allow-internal
  std::vector<launchspec::IpAddress> own_addresses;       // the pod's interfaces at start
};

// Why `address` is internal ("loopback", "link-local (instance metadata)", ...), or empty.
std::string internal_kind(const launchspec::IpAddress& address,
                          const std::vector<launchspec::IpAddress>& own_addresses);

// Empty when the proxy may connect to `address`; else the reason for the 502, e.g.
// "169.254.169.254 is link-local (instance metadata); --allow-internal opts in".
std::string refusal(const UpstreamAddressPolicy& policy, const launchspec::IpAddress& address);

}  // namespace jk::launcher::proxy
