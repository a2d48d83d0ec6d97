#include "launcher/proxy/destination.h"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "launcher/proxy/http_token.h"

namespace jk::launcher::proxy {
namespace {

constexpr std::uint16_t kHttpPort = 80;
constexpr std::uint16_t kHttpsPort = 443;
constexpr std::string_view kHttpScheme = "http://";
constexpr std::string_view kHttpsScheme = "https://";

bool is_host_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  return std::isalnum(u) != 0 || c == '-' || c == '.' || c == '_';
}

bool is_ipv6_char(char c) {
  return std::isxdigit(static_cast<unsigned char>(c)) != 0 || c == ':' || c == '.';
}

Result<std::uint16_t> parse_port(std::string_view text) {
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value == 0 ||
      value > UINT16_MAX) {
    return make_error("bad port \"" + std::string(text) + "\"");
  }
  return static_cast<std::uint16_t>(value);
}

Result<HostPort> parse_bracketed(std::string_view authority) {
  const std::size_t close = authority.find(']');
  if (close == std::string_view::npos) return make_error("unterminated IPv6 literal");
  const std::string_view host = authority.substr(1, close - 1);
  if (host.empty() || !std::all_of(host.begin(), host.end(), is_ipv6_char)) {
    return make_error("bad IPv6 literal \"" + std::string(host) + "\"");
  }
  HostPort out{std::string(host), 0};
  const std::string_view rest = authority.substr(close + 1);
  if (rest.empty()) return out;
  if (rest[0] != ':') return make_error("unexpected text after IPv6 literal");
  JK_TRY(out.port, parse_port(rest.substr(1)));
  return out;
}

std::uint16_t default_port(bool tls) { return tls ? kHttpsPort : kHttpPort; }

bool is_path_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u > ' ' && u < 0x7f;  // NOLINT: printable ASCII without space; Beast checked the rest
}

Result<Destination> from_authority(std::string_view authority, std::string path, bool tls,
                                   std::uint16_t fallback_port) {
  JK_TRY(HostPort where, parse_authority(authority));
  if (where.port == 0) where.port = fallback_port != 0 ? fallback_port : default_port(tls);
  if (path.empty()) path = "/";
  if (path[0] != '/' || !std::all_of(path.begin(), path.end(), is_path_char)) {
    return make_error("bad request path \"" + path + "\"");
  }
  return Destination{std::move(where.host), where.port, tls, std::move(path)};
}

Result<Destination> absolute_form(std::string_view target) {
  const bool tls = target.starts_with(kHttpsScheme);
  target.remove_prefix(tls ? kHttpsScheme.size() : kHttpScheme.size());
  const std::size_t slash = std::min(target.find('/'), target.find('?'));
  const std::string_view authority = target.substr(0, slash);
  std::string path(slash == std::string_view::npos ? "" : target.substr(slash));
  if (!path.empty() && path[0] == '?') path.insert(0, "/");
  return from_authority(authority, std::move(path), tls, 0);
}

}  // namespace

Result<HostPort> parse_authority(std::string_view authority) {
  if (authority.empty()) return make_error("empty host");
  if (authority.find('@') != std::string_view::npos) return make_error("userinfo in host");
  if (authority[0] == '[') return parse_bracketed(authority);
  const std::size_t colon = authority.rfind(':');
  const std::string_view host = authority.substr(0, colon);
  if (host.empty() || !std::all_of(host.begin(), host.end(), is_host_char)) {
    return make_error("bad host \"" + std::string(host) + "\"");
  }
  HostPort out{std::string(host), 0};
  if (colon == std::string_view::npos) return out;
  JK_TRY(out.port, parse_port(authority.substr(colon + 1)));
  return out;
}

Result<Destination> request_destination(std::string_view target, std::string_view host_header,
                                        const ConnectionDefaults& defaults) {
  const std::string lowered = lower_ascii(target.substr(0, kHttpsScheme.size()));
  if (lowered.starts_with(kHttpScheme) || lowered.starts_with(kHttpsScheme)) {
    const std::size_t scheme =
        lowered.starts_with(kHttpsScheme) ? kHttpsScheme.size() : kHttpScheme.size();
    std::string normalized(target);
    std::copy_n(lowered.begin(), scheme, normalized.begin());
    return absolute_form(normalized);
  }
  if (target.empty() || target[0] != '/') {
    return make_error("unsupported request target \"" + std::string(target) + "\"");
  }
  if (!host_header.empty()) {
    return from_authority(host_header, std::string(target), defaults.tls, defaults.port);
  }
  if (defaults.host.empty()) return make_error("no Host header");
  const std::string authority =
      defaults.host.find(':') != std::string::npos ? "[" + defaults.host + "]" : defaults.host;
  return from_authority(authority, std::string(target), defaults.tls, defaults.port);
}

Result<HostPort> connect_destination(std::string_view target) {
  JK_TRY(HostPort where, parse_authority(target));
  if (where.port == 0)
    return make_error("CONNECT target \"" + std::string(target) + "\" has no port");
  return where;
}

std::string Destination::authority() const {
  const bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

std::string Destination::url() const {
  std::string out = tls ? "https://" : "http://";
  out += host.find(':') != std::string::npos ? "[" + host + "]" : host;
  if (port != default_port(tls)) out += ":" + std::to_string(port);
  return out + path;
}

}  // namespace jk::launcher::proxy
