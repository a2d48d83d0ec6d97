#pragma once
// Interfaces and routes inside the jail's network namespace, over NETLINK_ROUTE.
//
// `lo` is brought up and `local default dev lo` is added to the local table for IPv4 and for
// IPv6, so a connect() or send to any address is routed locally, where the firewall's OUTPUT
// hooks see it (firewall.h): TCP over IPv4 is redirected to the proxy, DNS over either family to
// the stub, the rest dropped. lo keeps ::1 (the IPv6 DNS stub's address).
#include <string_view>

#include "common/result.h"
#include "launcher/net/netlink_message.h"

namespace jk::launcher::net {

// Pure request builders (for tests) and the calls that send them.
NetlinkBatch link_up_request(std::string_view interface_name);
// RTM_NEWROUTE (add) or RTM_DELROUTE (remove).
NetlinkBatch local_default_route_request(int interface_index, int family, bool add = true);

Status link_up(std::string_view interface_name);
// `local default dev <interface_name> table local` for `family` (AF_INET or AF_INET6).
Status add_local_default_route(std::string_view interface_name, int family);
Status remove_local_default_route(std::string_view interface_name, int family);

}  // namespace jk::launcher::net
