#pragma once
// Percent-encoding for query parameter values (continue tokens, resource versions).
#include <string>
#include <string_view>

namespace jk::kube {

std::string query_escape(std::string_view value);

}  // namespace jk::kube
