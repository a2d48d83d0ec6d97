#include "launcher/net/jail_network.h"

#include <sys/socket.h>

#include "launcher/net/link.h"

namespace jk::launcher::net {

Status build_jail_network(const FirewallPorts& ports) {
  constexpr const char* kLoopback = "lo";
  JK_TRY_STATUS(link_up(kLoopback));
  JK_TRY_STATUS(add_local_default_route(kLoopback, AF_INET));
  // IPv6 in the jail only carries DNS to the stub. Where the kernel or the namespace has no
  // IPv6 this route cannot be added, and the jail simply has no IPv6 (the ip6 table still drops
  // everything): not an error.
  (void)add_local_default_route(kLoopback, AF_INET6);
  return install_firewall(ports);
}

}  // namespace jk::launcher::net
