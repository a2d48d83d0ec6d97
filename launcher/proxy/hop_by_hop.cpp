#include "launcher/proxy/hop_by_hop.h"

#include <algorithm>
#include <array>

#include "launcher/proxy/http_token.h"

namespace jk::launcher::proxy {
namespace {

constexpr std::array<std::string_view, 5> kHopByHop = {"connection", "keep-alive", "te", "trailer",
                                                       "upgrade"};
constexpr std::string_view kProxyPrefix = "proxy-";

std::string_view trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t");
  return s.substr(first, last - first + 1);
}

// Splits on commas, trims, lower-cases, skips empty elements.
std::vector<std::string> split_list(std::string_view value) {
  std::vector<std::string> out;
  while (!value.empty()) {
    const std::size_t comma = value.find(',');
    const std::string_view item = trim(value.substr(0, comma));
    if (!item.empty()) out.push_back(lower_ascii(item));
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
  return out;
}

bool contains(const std::vector<std::string>& list, std::string_view item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

}  // namespace

std::vector<std::string> connection_tokens(const std::vector<std::string_view>& connection_values) {
  std::vector<std::string> out;
  for (const std::string_view value : connection_values) {
    for (std::string& token : split_list(value)) out.push_back(std::move(token));
  }
  return out;
}

bool is_hop_by_hop(std::string_view name, const std::vector<std::string>& connection_listed) {
  const std::string lowered = lower_ascii(name);
  if (std::find(kHopByHop.begin(), kHopByHop.end(), lowered) != kHopByHop.end()) return true;
  if (lowered.starts_with(kProxyPrefix)) return true;
  if (lowered == "transfer-encoding" || lowered == "content-length") return false;
  return contains(connection_listed, lowered);
}

bool is_websocket_upgrade(const std::vector<std::string>& connection_listed,
                          std::string_view upgrade_value) {
  return contains(connection_listed, "upgrade") && contains(split_list(upgrade_value), "websocket");
}

}  // namespace jk::launcher::proxy
