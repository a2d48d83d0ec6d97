#include "launcher/cli/request_url.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <limits>

#include "common/strings.h"

namespace jk::launcher::cli {
namespace {

Error url_error(std::string_view url, std::string_view why) {
  return make_error("URL \"" + std::string(url) + "\": " + std::string(why));
}

bool is_host_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '.' || c == '_';
}

bool is_ipv6_char(char c) {
  return std::isxdigit(static_cast<unsigned char>(c)) != 0 || c == ':' || c == '.';
}

constexpr std::uint16_t kHttpPort = 80;
constexpr std::uint16_t kHttpsPort = 443;

Result<std::string_view> strip_scheme(std::string_view url) {
  for (const std::string_view scheme : {"http://", "https://"}) {
    if (starts_with_ci(url, scheme)) return url.substr(scheme.size());
  }
  return url_error(url, "expected an absolute http:// or https:// URL");
}

// Splits "host[:port]" into the host and the port (0: none given); validates both parts.
Result<std::string> parse_authority(std::string_view url, std::string_view authority,
                                    std::uint16_t& port_out) {
  if (authority.find('@') != std::string_view::npos)
    return url_error(url, "user info is not allowed");
  std::string_view host = authority;
  std::string_view rest;
  if (!authority.empty() && authority.front() == '[') {
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos) return url_error(url, "unterminated IPv6 literal");
    const std::string_view inner = authority.substr(1, close - 1);
    if (inner.empty() || !std::all_of(inner.begin(), inner.end(), is_ipv6_char)) {
      return url_error(url, "invalid IPv6 literal");
    }
    host = authority.substr(0, close + 1);
    rest = authority.substr(close + 1);
  } else {
    const std::size_t colon = authority.find(':');
    host = authority.substr(0, colon);
    if (colon != std::string_view::npos) rest = authority.substr(colon);
    for (const char c : host) {
      if (!is_host_char(c)) return url_error(url, "invalid character in host");
    }
  }
  if (host.empty()) return url_error(url, "empty host");
  if (!rest.empty()) {
    const auto port = parse_u64(rest.substr(1));
    if (rest[0] != ':' || !port || *port == 0 || *port > std::numeric_limits<std::uint16_t>::max())
      return url_error(url, "invalid port");
    port_out = static_cast<std::uint16_t>(*port);
  }
  return std::string(host);
}

}  // namespace

bool is_http_token(std::string_view s) {
  if (s.empty()) return false;
  for (const char c : s) {
    const bool alnum = std::isalnum(static_cast<unsigned char>(c)) != 0;
    if (!alnum && std::string_view("!#$%&'*+-.^_`|~").find(c) == std::string_view::npos) {
      return false;
    }
  }
  return true;
}

Result<RequestUrl> parse_request_url(std::string_view url) {
  for (const char c : url) {
    if (static_cast<unsigned char>(c) <= ' ' || c == '\x7f') {
      return url_error(url, "spaces and control characters are not allowed");
    }
  }
  JK_TRY(std::string_view rest, strip_scheme(url));
  rest = rest.substr(0, rest.find('#'));
  const std::size_t path_start = rest.find_first_of("/?");
  std::uint16_t port = 0;
  JK_TRY(std::string host, parse_authority(url, rest.substr(0, path_start), port));
  std::string path =
      path_start == std::string_view::npos ? "" : std::string(rest.substr(path_start));
  if (path.empty() || path.front() == '?') path.insert(0, "/");
  if (port == 0) port = starts_with_ci(url, "https://") ? kHttpsPort : kHttpPort;
  return RequestUrl{std::move(host), std::move(path), port};
}

}  // namespace jk::launcher::cli
