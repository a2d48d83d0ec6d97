#include "launcher/net/firewall.h"

#include <arpa/inet.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netlink.h>
#include <netinet/in.h>

#include <array>
#include <functional>
#include <string>

#include "launcher/net/netlink_socket.h"
#include "launcher/net/nft_expressions.h"

namespace jk::launcher::net {
namespace {

constexpr std::uint32_t kReg = NFT_REG_1;
constexpr std::uint32_t kIpv4SourceOffset = 12;
constexpr std::uint32_t kIpv4DestinationOffset = 16;
constexpr std::uint32_t kSourcePortOffset = 0;
constexpr std::uint32_t kDestinationPortOffset = 2;
constexpr std::uint32_t kIpv6SourceOffset = 8;
constexpr std::uint32_t kIpv6DestinationOffset = 24;
constexpr std::uint32_t kPortLength = 2;
constexpr std::uint32_t kTcpFlagsOffset = 13;
constexpr std::uint8_t kTcpFlagRst = 0x04;
constexpr std::uint16_t kDnsPort = 53;
constexpr std::int32_t kNatPriority = -100;  // NF_IP_PRI_NAT_DST
constexpr std::int32_t kFilterPriority = 0;  // NF_IP_PRI_FILTER
constexpr std::uint16_t kCreate = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE;

std::uint16_t nft_type(std::uint16_t message) {
  return static_cast<std::uint16_t>((NFNL_SUBSYS_NFTABLES << 8) | message);
}

void put_nfgen(NetlinkBatch& batch, std::uint8_t family, std::uint16_t resource) {
  nfgenmsg header{};
  header.nfgen_family = family;
  header.version = NFNETLINK_V0;
  header.res_id = htons(resource);
  batch.put_struct(header);
}

void batch_marker(NetlinkBatch& batch, std::uint16_t type, const char* label) {
  batch.begin_message(type, NLM_F_REQUEST, label);
  put_nfgen(batch, AF_UNSPEC, NFNL_SUBSYS_NFTABLES);
  batch.end_message();
}

std::string family_name(std::uint8_t family) { return family == NFPROTO_IPV4 ? "ip" : "ip6"; }

void add_table(NetlinkBatch& batch, std::uint8_t family) {
  batch.begin_message(nft_type(NFT_MSG_NEWTABLE), kCreate,
                      "add table " + family_name(family) + " " + std::string(kFirewallTable));
  put_nfgen(batch, family, 0);
  batch.put_string(NFTA_TABLE_NAME, kFirewallTable);
  batch.end_message();
}

struct ChainSpec {
  std::uint8_t family;
  const char* name;
  const char* type;  // "nat" or "filter"
  std::int32_t priority;
  std::uint32_t policy;  // NF_ACCEPT or NF_DROP
};

void add_chain(NetlinkBatch& batch, const ChainSpec& chain) {
  batch.begin_message(nft_type(NFT_MSG_NEWCHAIN), kCreate,
                      "add chain " + family_name(chain.family) + " " + chain.name);
  put_nfgen(batch, chain.family, 0);
  batch.put_string(NFTA_CHAIN_TABLE, kFirewallTable);
  batch.put_string(NFTA_CHAIN_NAME, chain.name);
  const std::size_t hook = batch.begin_nest(NFTA_CHAIN_HOOK);
  batch.put_be32(NFTA_HOOK_HOOKNUM, NF_INET_LOCAL_OUT);
  batch.put_be32(NFTA_HOOK_PRIORITY, static_cast<std::uint32_t>(chain.priority));
  batch.end_nest(hook);
  batch.put_be32(NFTA_CHAIN_POLICY, chain.policy);
  batch.put_string(NFTA_CHAIN_TYPE, chain.type);
  batch.end_message();
}

using ExpressionWriter = std::function<void(NetlinkBatch&)>;

void add_rule(NetlinkBatch& batch, std::uint8_t family, const char* chain, const std::string& label,
              const ExpressionWriter& write_expressions) {
  batch.begin_message(nft_type(NFT_MSG_NEWRULE), kCreate | NLM_F_APPEND,
                      "add rule " + family_name(family) + " " + chain + ": " + label);
  put_nfgen(batch, family, 0);
  batch.put_string(NFTA_RULE_TABLE, kFirewallTable);
  batch.put_string(NFTA_RULE_CHAIN, chain);
  const std::size_t list = batch.begin_nest(NFTA_RULE_EXPRESSIONS);
  write_expressions(batch);
  batch.end_nest(list);
  batch.end_message();
}

void match_l4proto(NetlinkBatch& batch, std::uint8_t protocol) {
  nft::meta_l4proto(batch, kReg);
  const std::array<std::uint8_t, 1> value{protocol};
  nft::compare(batch, kReg, true, value);
}

// The loopback address (127.0.0.1 or ::1) as the source or destination of the packet.
void match_loopback(NetlinkBatch& batch, std::uint8_t family, bool destination) {
  if (family == NFPROTO_IPV4) {
    const std::uint32_t loopback = htonl(INADDR_LOOPBACK);
    nft::payload(batch, nft::PayloadBase::kNetwork,
                 destination ? kIpv4DestinationOffset : kIpv4SourceOffset, sizeof(loopback), kReg);
    nft::compare(batch, kReg, true,
                 {reinterpret_cast<const std::uint8_t*>(&loopback), sizeof(loopback)});  // NOLINT
    return;
  }
  const in6_addr loopback = IN6ADDR_LOOPBACK_INIT;
  nft::payload(batch, nft::PayloadBase::kNetwork,
               destination ? kIpv6DestinationOffset : kIpv6SourceOffset, sizeof(loopback), kReg);
  nft::compare(batch, kReg, true,
               {reinterpret_cast<const std::uint8_t*>(&loopback), sizeof(loopback)});  // NOLINT
}

std::array<std::uint8_t, 2> port_bytes(std::uint16_t port) {
  return {static_cast<std::uint8_t>(port >> 8), static_cast<std::uint8_t>(port & 0xff)};
}

void match_port(NetlinkBatch& batch, std::uint32_t offset, std::uint16_t port) {
  nft::payload(batch, nft::PayloadBase::kTransport, offset, kPortLength, kReg);
  nft::compare(batch, kReg, true, port_bytes(port));
}

void redirect_to(NetlinkBatch& batch, std::uint16_t port) {
  nft::immediate(batch, kReg, port_bytes(port));
  nft::redirect(batch, kReg);
}

// "<proto> to <loopback>:<port>" (to_listener) or "<proto> from <loopback>:<port>" -> accept.
ExpressionWriter accept_loopback(std::uint8_t family, std::uint8_t protocol, std::uint16_t port,
                                 bool to_listener) {
  return [=](NetlinkBatch& batch) {
    match_l4proto(batch, protocol);
    match_loopback(batch, family, to_listener);
    match_port(batch, to_listener ? kDestinationPortOffset : kSourcePortOffset, port);
    nft::verdict(batch, NF_ACCEPT);
  };
}

void add_dns_redirect(NetlinkBatch& batch, std::uint8_t family, const FirewallPorts& ports) {
  add_rule(batch, family, "nat_output", "udp dport 53: redirect to the dns stub",
           [&](NetlinkBatch& b) {
             match_l4proto(b, IPPROTO_UDP);
             match_port(b, kDestinationPortOffset, kDnsPort);
             redirect_to(b, ports.dns_port);
           });
}

void add_dns_filter(NetlinkBatch& batch, std::uint8_t family, const FirewallPorts& ports) {
  add_rule(batch, family, "filter_output", "udp to the dns stub",
           accept_loopback(family, IPPROTO_UDP, ports.dns_port, true));
  add_rule(batch, family, "filter_output", "udp from the dns stub",
           accept_loopback(family, IPPROTO_UDP, ports.dns_port, false));
}

void add_ipv4(NetlinkBatch& batch, const FirewallPorts& ports) {
  constexpr std::uint8_t kV4 = NFPROTO_IPV4;
  add_table(batch, kV4);
  add_chain(batch, {kV4, "nat_output", "nat", kNatPriority, NF_ACCEPT});
  add_chain(batch, {kV4, "filter_output", "filter", kFilterPriority, NF_DROP});
  add_rule(batch, kV4, "nat_output", "tcp to the relay: accept",
           accept_loopback(kV4, IPPROTO_TCP, ports.relay_port, true));
  add_rule(batch, kV4, "nat_output", "tcp: redirect to the relay", [&](NetlinkBatch& b) {
    match_l4proto(b, IPPROTO_TCP);
    redirect_to(b, ports.relay_port);
  });
  add_dns_redirect(batch, kV4, ports);
  add_rule(batch, kV4, "filter_output", "tcp to the relay",
           accept_loopback(kV4, IPPROTO_TCP, ports.relay_port, true));
  add_rule(batch, kV4, "filter_output", "tcp from the relay",
           accept_loopback(kV4, IPPROTO_TCP, ports.relay_port, false));
  add_dns_filter(batch, kV4, ports);
}

// IPv6 carries DNS to the stub (for a pod whose resolver has an IPv6 address) and nothing else;
// without `dns` (no IPv6 in the jail) it carries nothing at all.
void add_ipv6(NetlinkBatch& batch, const FirewallPorts& ports, bool dns) {
  constexpr std::uint8_t kV6 = NFPROTO_IPV6;
  add_table(batch, kV6);
  if (!dns) {
    add_chain(batch, {kV6, "filter_output", "filter", kFilterPriority, NF_DROP});
    return;
  }
  add_chain(batch, {kV6, "nat_output", "nat", kNatPriority, NF_ACCEPT});
  add_chain(batch, {kV6, "filter_output", "filter", kFilterPriority, NF_DROP});
  add_dns_redirect(batch, kV6, ports);
  add_dns_filter(batch, kV6, ports);
  // A dropped SYN would leave connect() retrying for minutes; a reset ends it at once. The
  // reset itself passes this chain on its way back to the socket, so resets are let through
  // (only to local sockets: lo is the jail's only interface).
  add_rule(batch, kV6, "filter_output", "tcp reset: accept", [](NetlinkBatch& b) {
    match_l4proto(b, IPPROTO_TCP);
    nft::payload(b, nft::PayloadBase::kTransport, kTcpFlagsOffset, 1, kReg);
    nft::bitwise_and(b, kReg, std::array<std::uint8_t, 1>{kTcpFlagRst});
    nft::compare(b, kReg, false, std::array<std::uint8_t, 1>{0});
    nft::verdict(b, NF_ACCEPT);
  });
  add_rule(batch, kV6, "filter_output", "tcp: reject with tcp reset", [](NetlinkBatch& b) {
    match_l4proto(b, IPPROTO_TCP);
    nft::reject_with_tcp_reset(b);
  });
}

}  // namespace

NetlinkBatch firewall_batch(const FirewallPorts& ports, bool ipv6_dns) {
  NetlinkBatch batch;
  batch_marker(batch, NFNL_MSG_BATCH_BEGIN, "nf_tables batch begin");
  add_ipv4(batch, ports);
  add_ipv6(batch, ports, ipv6_dns);
  batch_marker(batch, NFNL_MSG_BATCH_END, "nf_tables batch end");
  return batch;
}

Status install_firewall(const FirewallPorts& ports, bool ipv6_dns) {
  JK_TRY(auto socket, NetlinkSocket::open(NETLINK_NETFILTER));
  const Status installed = socket.transact(firewall_batch(ports, ipv6_dns));
  if (!installed) return installed.error().wrap("nf_tables");
  return {};
}

}  // namespace jk::launcher::net
