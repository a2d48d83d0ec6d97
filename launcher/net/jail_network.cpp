#include "launcher/net/jail_network.h"

#include <sys/socket.h>

#include "launcher/net/link.h"

namespace jk::launcher::net {

Status build_jail_network(const FirewallPorts& ports) {
  constexpr const char* kLoopback = "lo";
  JK_TRY_STATUS(link_up(kLoopback));
  JK_TRY_STATUS(add_local_default_route(kLoopback, AF_INET));
  // IPv6 in the jail only carries DNS to the stub. Where the kernel or the namespace has no IPv6
  // (ipv6.disable=1, disable_ipv6) the route cannot be added, and where the IPv6 NAT or reject
  // support is missing the firewall with them fails: the jail then has no IPv6 at all (no route,
  // an ip6 table that drops everything), as before IPv6 DNS existed. Not an error.
  if (add_local_default_route(kLoopback, AF_INET6).ok()) {
    if (install_firewall(ports, true).ok()) return {};  // one batch: nothing was installed
    JK_TRY_STATUS(remove_local_default_route(kLoopback, AF_INET6));
  }
  return install_firewall(ports, false);
}

}  // namespace jk::launcher::net
