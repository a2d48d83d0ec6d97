// Request heads as the proxy parses them (untrusted bytes from the jailed agent): the first-bytes
// classifier, the Beast parser with the proxy's header limit, and the request-target resolution
// for every kind of connection. Invariants: a resolved destination has a host, a non-zero port
// and a path starting with '/', and its URL resolves back to the same destination.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "launcher/proxy/destination.h"
#include "launcher/proxy/first_bytes.h"
#include "launcher/proxy/request_head.h"
#include "launchspec/rules.h"

namespace {

using jk::launcher::proxy::ConnectionDefaults;
using jk::launcher::proxy::Destination;

constexpr std::uint32_t kHeaderLimit = 16 * 1024;

void check(const Destination& d) {
  if (d.host.empty() || d.port == 0 || d.path.empty() || d.path[0] != '/') std::abort();
  const auto again = jk::launcher::proxy::request_destination(d.url(), "", {});
  if (!again.ok() || again->host != d.host || again->port != d.port || again->path != d.path ||
      again->tls != d.tls) {
    std::abort();
  }
  static const auto rules =
      jk::launchspec::parse_rules({"method=GET domain=*.example.com path=/api/*", "domain=*"});
  (void)jk::launchspec::first_match(*rules, {"GET", d.host, d.path});
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);  // NOLINT
  (void)jk::launcher::proxy::classify_first_bytes(bytes);
  const auto head = jk::launcher::proxy::parse_request_head(bytes, kHeaderLimit);
  if (!head.ok()) return 0;
  (void)jk::launcher::proxy::connect_destination(head->target);
  const ConnectionDefaults contexts[] = {{},
                                         {"api.example.com", 8443, false},
                                         {"api.example.com", 443, true},
                                         {"10.0.0.5", 80, false}};
  for (const ConnectionDefaults& defaults : contexts) {
    const auto destination =
        jk::launcher::proxy::request_destination(head->target, head->host_header, defaults);
    if (destination.ok()) check(*destination);
  }
  return 0;
}
