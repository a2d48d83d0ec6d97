#pragma once
// The absolute URL given to `explain`: http(s)://host[:port]/path?query, host a DNS name, an
// IPv4 literal or an IPv6 literal in brackets. Anything else (relative URLs, other schemes,
// userinfo, empty host, bad port, spaces or control characters) is rejected with a reason.
#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace jk::launcher::cli {

struct RequestUrl {
  std::string host;        // as written, IPv6 with brackets, without the port
  std::string path;        // raw path plus query ("/" when the URL has none); fragment dropped
  std::uint16_t port = 0;  // given, else the scheme's default (80, 443)
};

Result<RequestUrl> parse_request_url(std::string_view url);

// RFC 7230 token: what an HTTP method may be.
bool is_http_token(std::string_view s);

}  // namespace jk::launcher::cli
