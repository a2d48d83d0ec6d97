#include "launcher/jail/landjail/environment.h"

#include <algorithm>
#include <array>
#include <string_view>

namespace jk::launcher::jail {
namespace {

constexpr std::array<std::string_view, 6> kProxyVariables = {
    "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"};
constexpr std::array<std::string_view, 2> kBypassVariables = {"NO_PROXY", "no_proxy"};

std::string_view name_of(std::string_view entry) { return entry.substr(0, entry.find('=')); }

bool replaced(std::string_view entry) {
  const std::string_view name = name_of(entry);
  const auto is = [&](std::string_view v) { return v == name; };
  return std::any_of(kProxyVariables.begin(), kProxyVariables.end(), is) ||
         std::any_of(kBypassVariables.begin(), kBypassVariables.end(), is);
}

}  // namespace

std::vector<std::string> with_proxy_variables(const std::vector<std::string>& env,
                                              std::uint16_t port) {
  std::vector<std::string> out;
  out.reserve(env.size() + kProxyVariables.size());
  for (const auto& entry : env) {
    if (!replaced(entry)) out.push_back(entry);
  }
  const std::string url = "http://127.0.0.1:" + std::to_string(port);
  for (const auto name : kProxyVariables) out.push_back(std::string(name) + "=" + url);
  return out;
}

}  // namespace jk::launcher::jail
