#pragma once
// nf_tables expressions written straight into a NetlinkBatch (the attribute layout libnftnl
// would produce). Each call appends one NFTA_LIST_ELEM inside an open NFTA_RULE_EXPRESSIONS.
#include <cstdint>
#include <span>

#include "launcher/net/netlink_message.h"

namespace jk::launcher::net::nft {

enum class PayloadBase : std::uint32_t { kNetwork = 1, kTransport = 2 };

// reg <- meta l4proto
void meta_l4proto(NetlinkBatch& batch, std::uint32_t dreg);
// reg <- len bytes at offset of the network/transport header
void payload(NetlinkBatch& batch, PayloadBase base, std::uint32_t offset, std::uint32_t length,
             std::uint32_t dreg);
// continue only if reg == value (equal) or reg != value (!equal)
void compare(NetlinkBatch& batch, std::uint32_t sreg, bool equal,
             std::span<const std::uint8_t> value);
// reg <- reg & mask (reg holds mask.size() bytes)
void bitwise_and(NetlinkBatch& batch, std::uint32_t reg, std::span<const std::uint8_t> mask);
// reg <- value
void immediate(NetlinkBatch& batch, std::uint32_t dreg, std::span<const std::uint8_t> value);
// verdict: NF_ACCEPT / NF_DROP
void verdict(NetlinkBatch& batch, std::uint32_t code);
// redirect to local port held in reg (network byte order)
void redirect(NetlinkBatch& batch, std::uint32_t port_reg);
// reject with tcp reset (after a match on tcp): connect() fails at once with ECONNREFUSED
void reject_with_tcp_reset(NetlinkBatch& batch);

}  // namespace jk::launcher::net::nft
