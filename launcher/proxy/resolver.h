#pragma once
// The proxy's own name resolution (internal; Asio): an IP literal as is, else the /etc/hosts
// snapshot, else DNS over UDP (TCP when the reply is truncated) to the snapshot's nameservers
// with its search list and ndots. Never getaddrinfo: nothing the agent writes after the launcher
// started (hosts, resolv.conf, nsswitch.conf) changes where the proxy connects.
#include <string>
#include <vector>

#include "common/result.h"
#include "launcher/proxy/asio_types.h"
#include "launcher/proxy/resolver_config.h"

namespace jk::launcher::proxy {

// IPv4 addresses first, then IPv6. The caller bounds the whole call with its own timer (each
// query is bounded by config.timeout). Errors read "no such host" / "no answer from 10.96.0.10".
awaitable<Result<std::vector<launchspec::IpAddress>>> resolve_host(asio::any_io_executor executor,
                                                                   const ResolverConfig& config,
                                                                   std::string host);

}  // namespace jk::launcher::proxy
