#pragma once
// The text/plain body of a 403 for a denied request, in the shape boundary users and scripts
// look for (BOUNDARY-COMPAT.md "Outputs"): "Request Blocked by Boundary", the request, and
// `--allow` lines that would allow it.
#include <string>
#include <string_view>

namespace jk::launcher::proxy {

// `path` is the raw path (query included; the suggestion drops the query).
std::string deny_body(std::string_view method, std::string_view host, std::string_view path);

}  // namespace jk::launcher::proxy
