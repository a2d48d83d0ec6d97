#pragma once
// Interfaces and routes inside the jail's network namespace, over NETLINK_ROUTE.
//
// IPv4: `lo` is brought up and `local default dev lo` is added to the local table, so connect()
// to any IPv4 address is routed locally and the nat OUTPUT hook can redirect it to the proxy.
// IPv6: deliberately no address and no route: ::1 is removed from lo after it comes up, so
// connect() to any IPv6 address (::1 included) fails at once (EADDRNOTAVAIL), and the ip6
// filter table drops whatever else might be sent.
#include <string_view>

#include "common/result.h"
#include "launcher/net/netlink_message.h"

namespace jk::launcher::net {

// Pure request builders (for tests) and the calls that send them.
NetlinkBatch link_up_request(std::string_view interface_name);
NetlinkBatch local_default_route_request(int interface_index);
NetlinkBatch remove_ipv6_loopback_request(int interface_index);

Status link_up(std::string_view interface_name);
// `local default dev <interface_name> table local` for IPv4.
Status add_local_default_route(std::string_view interface_name);
// Removes ::1/128 from the interface (lo).
Status remove_ipv6_loopback(std::string_view interface_name);

}  // namespace jk::launcher::net
