#pragma once
// The proxy variables a landjail agent gets: under Landlock only the proxy port is reachable, so
// every client must be told to use it.
#include <cstdint>
#include <string>
#include <vector>

namespace jk::launcher::jail {

// `env` ("NAME=value" entries) with HTTP_PROXY, HTTPS_PROXY, http_proxy, https_proxy and
// ALL_PROXY (and all_proxy) set to http://127.0.0.1:<port>, and NO_PROXY/no_proxy removed (a
// bypass could only fail). Other entries keep their order.
std::vector<std::string> with_proxy_variables(const std::vector<std::string>& env,
                                              std::uint16_t port);

}  // namespace jk::launcher::jail
