#include "webhook/kube/server_url.h"

#include "common/strings.h"

namespace jk::kube {
namespace {

constexpr std::string_view kHttps = "https://";
constexpr std::uint16_t kDefaultHttpsPort = 443;

// "host", "host:port", "[v6]" or "[v6]:port".
Result<HostPort> parse_authority(std::string_view authority) {
  const bool bracketed = !authority.empty() && authority.front() == '[';
  const bool has_port = bracketed ? authority.find("]:") != std::string_view::npos
                                  : authority.find(':') != std::string_view::npos;
  if (has_port) {
    auto hp = parse_host_port(authority);
    if (!hp || hp->port == 0)
      return make_error("invalid host:port \"" + std::string(authority) + "\"");
    return *hp;
  }
  if (bracketed) {
    if (authority.back() != ']' || authority.size() < 3) {
      return make_error("invalid IPv6 host \"" + std::string(authority) + "\"");
    }
    return HostPort{std::string(authority.substr(1, authority.size() - 2)), kDefaultHttpsPort};
  }
  if (authority.empty()) return make_error("no host");
  return HostPort{std::string(authority), kDefaultHttpsPort};
}

}  // namespace

Result<ServerUrl> parse_server_url(std::string_view url) {
  if (url.empty()) return make_error("is empty");
  if (!starts_with_ci(url, kHttps)) {
    return make_error("\"" + std::string(url) +
                      "\": only https:// is supported (credentials are never sent in clear text)");
  }
  std::string_view rest = url.substr(kHttps.size());
  const std::size_t slash = rest.find('/');
  const std::string_view authority = rest.substr(0, slash);
  std::string_view path = slash == std::string_view::npos ? "" : rest.substr(slash);
  if (path.find_first_of("?#") != std::string_view::npos) {
    return make_error("\"" + std::string(url) + "\": query or fragment not allowed");
  }
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  auto hp = parse_authority(authority);
  if (!hp) return hp.error().wrap("\"" + std::string(url) + "\"");
  ServerUrl out;
  out.host = hp->host;
  out.port = hp->port;
  out.base_path = std::string(path);
  out.server = make_server_url(out.host, out.port) + out.base_path;
  return out;
}

std::string make_server_url(std::string_view host, std::uint16_t port) {
  const bool v6 = host.find(':') != std::string_view::npos;
  std::string h = v6 ? "[" + std::string(host) + "]" : std::string(host);
  return std::string(kHttps) + h + ":" + std::to_string(port);
}

}  // namespace jk::kube
