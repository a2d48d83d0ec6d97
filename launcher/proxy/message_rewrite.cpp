#include "launcher/proxy/message_rewrite.h"

#include <string_view>

#include "launcher/proxy/hop_by_hop.h"

namespace jk::launcher::proxy {

namespace http = boost::beast::http;

std::vector<std::string> connection_listed(const http::fields& fields) {
  std::vector<std::string_view> values;
  const auto range = fields.equal_range(http::field::connection);
  for (auto it = range.first; it != range.second; ++it) {
    values.emplace_back(it->value().data(), it->value().size());
  }
  return connection_tokens(values);
}

void strip_hop_by_hop(http::fields& fields, bool keep_websocket_upgrade) {
  const std::vector<std::string> listed = connection_listed(fields);
  for (auto it = fields.begin(); it != fields.end();) {
    const std::string_view name(it->name_string().data(), it->name_string().size());
    it = is_hop_by_hop(name, listed) ? fields.erase(it) : std::next(it);
  }
  if (keep_websocket_upgrade) {
    fields.set(http::field::connection, "Upgrade");
    fields.set(http::field::upgrade, "websocket");
  }
}

}  // namespace jk::launcher::proxy
