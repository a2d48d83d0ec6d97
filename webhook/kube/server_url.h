#pragma once
// Parses cluster.server (private to webhook/kube).
#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace jk::kube {

struct ServerUrl {
  std::string server;  // normalised: https://host[:port][/prefix], no trailing slash
  std::string host;    // without IPv6 brackets
  std::uint16_t port = 0;
  std::string base_path;
};

// Only https: the client speaks TLS and would otherwise send the credentials in clear text.
Result<ServerUrl> parse_server_url(std::string_view url);
// "https://host:port", bracketing an IPv6 host.
std::string make_server_url(std::string_view host, std::uint16_t port);

}  // namespace jk::kube
