#pragma once
// The whole network of a jail, built from inside its fresh network namespace in order:
// lo up, local default routes (IPv4; IPv6 where the kernel has it), nf_tables firewall. Needs
// CAP_NET_ADMIN in the user namespace that owns the network namespace. Errors name the step.
#include "common/result.h"
#include "launcher/net/firewall.h"

namespace jk::launcher::net {

Status build_jail_network(const FirewallPorts& ports);

}  // namespace jk::launcher::net
