#pragma once
// Hop-by-hop header fields (RFC 9110 7.6.1): they describe one connection and are not forwarded.
// Pure; the Beast adapter in message_rewrite.h applies it.
#include <string>
#include <string_view>
#include <vector>

namespace jk::launcher::proxy {

// Lower-cased field names listed in Connection header values ("close, X-Foo" -> {"close",
// "x-foo"}).
std::vector<std::string> connection_tokens(const std::vector<std::string_view>& connection_values);

// True for Connection, Keep-Alive, TE, Trailer, Upgrade, Proxy-* and every name listed in
// Connection. Transfer-Encoding and Content-Length are framing: the serializer re-frames the body
// and keeps them consistent, so they are not removed here. Case-insensitive.
bool is_hop_by_hop(std::string_view name, const std::vector<std::string>& connection_listed);

// A websocket upgrade request: `Upgrade: websocket` (case-insensitive, possibly among others)
// and `upgrade` listed in Connection.
bool is_websocket_upgrade(const std::vector<std::string>& connection_listed,
                          std::string_view upgrade_value);

}  // namespace jk::launcher::proxy
