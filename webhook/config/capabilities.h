#pragma once
// Linux capability names as Kubernetes writes them: upper case, without the CAP_ prefix.
#include <string_view>

namespace jk::config {

bool is_capability(std::string_view name);

}  // namespace jk::config
