// DNS replies read by the proxy's own resolver (launcher/proxy/dns_message.h): untrusted bytes
// from the network. Never crashes; an accepted reply's addresses have the asked family.
#include <sys/socket.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "launcher/proxy/dns_message.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> bytes(data, size);
  using jk::launcher::proxy::kDnsTypeA;
  using jk::launcher::proxy::kDnsTypeAaaa;
  const std::uint16_t id = size >= 2 ? static_cast<std::uint16_t>((data[0] << 8) | data[1]) : 0;
  for (const std::uint16_t type : {kDnsTypeA, kDnsTypeAaaa}) {
    const auto reply = jk::launcher::proxy::parse_reply(bytes, id, "www.example.com", type);
    if (!reply.ok()) continue;
    for (const auto& a : reply->addresses) {
      if (a.family != (type == kDnsTypeA ? AF_INET : AF_INET6)) std::abort();
    }
  }
  return 0;
}
