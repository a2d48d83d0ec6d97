#pragma once
// The jail's firewall, installed over NETLINK_NETFILTER inside the jail's own network namespace
// (nothing is ever installed in the pod's namespace). One nf_tables batch, all or nothing:
//
//   table ip jailkeeper
//     chain nat_output   (nat, hook output, priority -100)
//       ip daddr 127.0.0.1 tcp dport <relay> accept      # already at the proxy
//       meta l4proto tcp redirect to :<relay>            # every other TCP connection
//       udp dport 53 redirect to :<dns>                  # DNS to the stub
//     chain filter_output (filter, hook output, priority 0, policy drop)
//       ip daddr 127.0.0.1 tcp dport <relay> accept      # to the proxy listener
//       ip saddr 127.0.0.1 tcp sport <relay> accept      # its replies (listener is in the netns)
//       ip daddr 127.0.0.1 udp dport <dns> accept        # to the DNS stub
//       ip saddr 127.0.0.1 udp sport <dns> accept        # its replies
//   table ip6 jailkeeper
//     chain nat_output   (nat, hook output, priority -100)
//       udp dport 53 redirect to :<dns>                  # DNS to an IPv6 resolver: the stub
//     chain filter_output (filter, hook output, priority 0, policy drop)
//       ip6 daddr ::1 udp dport <dns> accept             # to the DNS stub
//       ip6 saddr ::1 udp sport <dns> accept             # its replies
//       tcp flags rst accept                             # the resets of the next rule
//       reject with tcp reset                            # TCP: connect() fails at once
//
// Everything else (other UDP, ICMP, raw sockets, the rest of IPv6) is dropped in OUTPUT: send()
// fails at once with EPERM (IPv4 TCP never gets there: it is redirected; IPv6 TCP is reset, as a
// dropped SYN would leave connect() retrying for minutes). Both families have a `local default`
// route (link.h), so every destination is routed to these hooks instead of failing with "network
// unreachable".
#include <cstdint>
#include <string_view>

#include "common/result.h"
#include "launcher/net/netlink_message.h"

namespace jk::launcher::net {

inline constexpr std::string_view kFirewallTable = "jailkeeper";

struct FirewallPorts {
  std::uint16_t relay_port = 0;  // the TCP listener on 127.0.0.1 (the parent's proxy accepts)
  std::uint16_t dns_port = 0;    // the UDP DNS stub socket (127.0.0.1 and ::1)
};

// Pure: the complete nf_tables batch (BATCH_BEGIN ... BATCH_END). Without `ipv6_dns` (a jail
// with no IPv6) the ip6 table is only a filter chain that drops everything.
NetlinkBatch firewall_batch(const FirewallPorts& ports, bool ipv6_dns = true);
// Sends it; needs CAP_NET_ADMIN in the namespace. Errors name the table/chain/rule that failed.
Status install_firewall(const FirewallPorts& ports, bool ipv6_dns = true);

}  // namespace jk::launcher::net
