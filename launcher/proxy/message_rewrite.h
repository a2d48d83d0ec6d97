#pragma once
// Applies the hop-by-hop rules (hop_by_hop.h) to Beast header fields (internal).
#include <boost/beast/http/fields.hpp>
#include <string>
#include <vector>

namespace jk::launcher::proxy {

// Lower-cased names listed in every Connection field.
std::vector<std::string> connection_listed(const boost::beast::http::fields& fields);
// Erases hop-by-hop fields. With `keep_websocket_upgrade`, puts back `Connection: Upgrade` and
// `Upgrade: websocket` afterwards.
void strip_hop_by_hop(boost::beast::http::fields& fields, bool keep_websocket_upgrade);

}  // namespace jk::launcher::proxy
