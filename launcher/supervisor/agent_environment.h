#pragma once
// The agent's environment: the launcher's own, with the variables the launcher sets (trust
// files, ...) replacing every entry of the same name instead of being added after it. A second
// SSL_CERT_FILE would be ignored by glibc getenv and Python, which take the first one (issue 13).
// Pure.
#include <string>
#include <vector>

namespace jk::launcher::supervisor {

// `env` ("NAME=value") without any entry whose name equals a name in `set` ignoring case (npm
// and pnpm read npm_config_* case-insensitively), then `set` in order.
std::vector<std::string> with_variables(const std::vector<std::string>& env,
                                        const std::vector<std::string>& set);

}  // namespace jk::launcher::supervisor
