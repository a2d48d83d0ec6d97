#include "launcher/net/nft_expressions.h"

#include <linux/netfilter/nf_nat.h>
#include <linux/netfilter/nf_tables.h>

#include <string_view>
#include <vector>

namespace jk::launcher::net::nft {
namespace {

// Opens NFTA_LIST_ELEM { NFTA_EXPR_NAME, NFTA_EXPR_DATA { ... } }; close with ExpressionScope's
// destructor.
class ExpressionScope {
 public:
  ExpressionScope(NetlinkBatch& batch, std::string_view name) : batch_(batch) {
    element_ = batch_.begin_nest(NFTA_LIST_ELEM);
    batch_.put_string(NFTA_EXPR_NAME, name);
    data_ = batch_.begin_nest(NFTA_EXPR_DATA);
  }
  ExpressionScope(const ExpressionScope&) = delete;
  ExpressionScope& operator=(const ExpressionScope&) = delete;
  ~ExpressionScope() {
    batch_.end_nest(data_);
    batch_.end_nest(element_);
  }

 private:
  NetlinkBatch& batch_;
  std::size_t element_ = 0;
  std::size_t data_ = 0;
};

void put_data_value(NetlinkBatch& batch, std::uint16_t type, std::span<const std::uint8_t> value) {
  const std::size_t data = batch.begin_nest(type);
  batch.put_attribute(NFTA_DATA_VALUE, value);
  batch.end_nest(data);
}

}  // namespace

void meta_l4proto(NetlinkBatch& batch, std::uint32_t dreg) {
  ExpressionScope scope(batch, "meta");
  batch.put_be32(NFTA_META_KEY, NFT_META_L4PROTO);
  batch.put_be32(NFTA_META_DREG, dreg);
}

void payload(NetlinkBatch& batch, PayloadBase base, std::uint32_t offset, std::uint32_t length,
             std::uint32_t dreg) {
  ExpressionScope scope(batch, "payload");
  batch.put_be32(NFTA_PAYLOAD_DREG, dreg);
  batch.put_be32(NFTA_PAYLOAD_BASE, static_cast<std::uint32_t>(base));
  batch.put_be32(NFTA_PAYLOAD_OFFSET, offset);
  batch.put_be32(NFTA_PAYLOAD_LEN, length);
}

void compare(NetlinkBatch& batch, std::uint32_t sreg, bool equal,
             std::span<const std::uint8_t> value) {
  ExpressionScope scope(batch, "cmp");
  batch.put_be32(NFTA_CMP_SREG, sreg);
  batch.put_be32(NFTA_CMP_OP, equal ? NFT_CMP_EQ : NFT_CMP_NEQ);
  put_data_value(batch, NFTA_CMP_DATA, value);
}

void bitwise_and(NetlinkBatch& batch, std::uint32_t reg, std::span<const std::uint8_t> mask) {
  ExpressionScope scope(batch, "bitwise");
  batch.put_be32(NFTA_BITWISE_SREG, reg);
  batch.put_be32(NFTA_BITWISE_DREG, reg);
  batch.put_be32(NFTA_BITWISE_LEN, static_cast<std::uint32_t>(mask.size()));
  put_data_value(batch, NFTA_BITWISE_MASK, mask);
  const std::vector<std::uint8_t> no_flip(mask.size(), 0);
  put_data_value(batch, NFTA_BITWISE_XOR, no_flip);
}

void immediate(NetlinkBatch& batch, std::uint32_t dreg, std::span<const std::uint8_t> value) {
  ExpressionScope scope(batch, "immediate");
  batch.put_be32(NFTA_IMMEDIATE_DREG, dreg);
  put_data_value(batch, NFTA_IMMEDIATE_DATA, value);
}

void verdict(NetlinkBatch& batch, std::uint32_t code) {
  ExpressionScope scope(batch, "immediate");
  batch.put_be32(NFTA_IMMEDIATE_DREG, NFT_REG_VERDICT);
  const std::size_t data = batch.begin_nest(NFTA_IMMEDIATE_DATA);
  const std::size_t verdict_nest = batch.begin_nest(NFTA_DATA_VERDICT);
  batch.put_be32(NFTA_VERDICT_CODE, code);
  batch.end_nest(verdict_nest);
  batch.end_nest(data);
}

void redirect(NetlinkBatch& batch, std::uint32_t port_reg) {
  ExpressionScope scope(batch, "redir");
  batch.put_be32(NFTA_REDIR_REG_PROTO_MIN, port_reg);
  batch.put_be32(NFTA_REDIR_REG_PROTO_MAX, port_reg);
  batch.put_be32(NFTA_REDIR_FLAGS, NF_NAT_RANGE_PROTO_SPECIFIED);
}

void reject_with_tcp_reset(NetlinkBatch& batch) {
  ExpressionScope scope(batch, "reject");
  batch.put_be32(NFTA_REJECT_TYPE, NFT_REJECT_TCP_RST);
}

}  // namespace jk::launcher::net::nft
