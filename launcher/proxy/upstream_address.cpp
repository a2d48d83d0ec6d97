#include "launcher/proxy/upstream_address.h"

#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <string_view>

namespace jk::launcher::proxy {
namespace {

using launchspec::AddressPrefix;
using launchspec::IpAddress;

struct InternalRange {
  std::string_view prefix;
  std::string_view kind;
};

// Most specific first: the first containing range names the kind.
constexpr std::array<InternalRange, 15> kInternal = {{
    {"169.254.169.254/32", "link-local (instance metadata)"},
    {"169.254.170.0/24", "link-local (container and pod identity credentials)"},
    {"100.100.100.200/32", "cloud instance metadata"},
    {"fd00:ec2::/64", "the AWS metadata, DNS and time prefix"},
    {"0.0.0.0/8", "unspecified (this host)"},
    {"127.0.0.0/8", "loopback"},
    {"169.254.0.0/16", "link-local"},
    {"224.0.0.0/4", "multicast"},
    {"240.0.0.0/4", "reserved or broadcast"},
    {"::/128", "unspecified (this host)"},
    {"::1/128", "loopback"},
    {"fe80::/10", "link-local"},
    {"fec0::/10", "site-local"},
    {"ff00::/8", "multicast"},
    {"::/96", "IPv4-compatible IPv6"},
}};

const std::vector<AddressPrefix>& internal_prefixes() {
  static const std::vector<AddressPrefix> prefixes = [] {
    std::vector<AddressPrefix> out;
    for (const InternalRange& range : kInternal)
      out.push_back(*launchspec::parse_prefix(range.prefix));
    return out;
  }();
  return prefixes;
}

// 64:ff9b::a.b.c.d (NAT64) reaches a.b.c.d through the translator: judged as that address.
IpAddress embedded_v4(const IpAddress& address) {
  static const AddressPrefix nat64 = *launchspec::parse_prefix("64:ff9b::/96");
  const IpAddress plain = launchspec::unmap(address);
  if (plain.family != AF_INET6 || !launchspec::contains(nat64, plain)) return plain;
  IpAddress v4;
  v4.family = AF_INET;
  constexpr std::size_t kV4Offset = 12;
  std::copy_n(plain.bytes.begin() + kV4Offset, 4, v4.bytes.begin());
  return v4;
}

}  // namespace

std::string internal_kind(const IpAddress& address, const std::vector<IpAddress>& own_addresses) {
  const IpAddress judged = embedded_v4(address);
  const auto& prefixes = internal_prefixes();
  for (std::size_t i = 0; i < prefixes.size(); ++i) {
    if (launchspec::contains(prefixes[i], judged)) return std::string(kInternal[i].kind);
  }
  for (const IpAddress& own : own_addresses) {
    if (launchspec::unmap(own) == judged) return "an address of this pod";
  }
  return "";
}

std::string refusal(const UpstreamAddressPolicy& policy, const IpAddress& address) {
  const std::string kind = internal_kind(address, policy.own_addresses);
  if (kind.empty()) return "";
  const auto opted_in = [&](const AddressPrefix& p) { return launchspec::contains(p, address); };
  if (std::any_of(policy.allow_internal.begin(), policy.allow_internal.end(), opted_in)) return "";
  return launchspec::to_string(address) + " is " + kind +
         ": internal upstreams are refused (--allow-internal opts in)";
}

}  // namespace jk::launcher::proxy
