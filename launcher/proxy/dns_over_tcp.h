#pragma once
// DNS over TCP (internal): a connection to port 53 whose first bytes are neither TLS nor HTTP,
// e.g. a resolver retrying a truncated UDP answer over TCP (RFC 7766). In the transparent jails
// every TCP connection ends at the proxy, so without this such a retry would fail. Placeholder
// mode answers each length-prefixed query like the UDP stub (net::answer); forward mode
// (--use-real-dns) relays the connection to the resolver the launcher uses, whatever address the
// agent asked, as the UDP stub does.
#include <optional>
#include <string>

#include "launcher/proxy/asio_types.h"
#include "launcher/proxy/proxy_context.h"

namespace jk::launcher::proxy {

inline constexpr std::uint16_t kDnsPort = 53;

// Serves the connection until the client closes it, a frame is malformed or a timeout passes.
// `buffer` holds the bytes already read; `host` is the address the agent connected to (for the
// one audit line of the connection).
awaitable<void> serve_dns_over_tcp(beast::tcp_stream& client, beast::flat_buffer& buffer,
                                   const ProxyContext& context, std::string host);

}  // namespace jk::launcher::proxy
