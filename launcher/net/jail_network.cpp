#include "launcher/net/jail_network.h"

#include "launcher/net/link.h"

namespace jk::launcher::net {

Status build_jail_network(const FirewallPorts& ports) {
  constexpr const char* kLoopback = "lo";
  JK_TRY_STATUS(link_up(kLoopback));
  JK_TRY_STATUS(add_local_default_route(kLoopback));
  JK_TRY_STATUS(remove_ipv6_loopback(kLoopback));
  return install_firewall(ports);
}

}  // namespace jk::launcher::net
