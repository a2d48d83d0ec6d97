#include "launcher/net/netlink_message.h"

#include <arpa/inet.h>
#include <linux/netlink.h>

#include <cstring>

namespace jk::launcher::net {
namespace {

constexpr std::size_t kAttributeHeaderSize = sizeof(nlattr);  // already 4-aligned
constexpr std::size_t kAlignment = 4;                         // NLMSG_ALIGNTO == NLA_ALIGNTO

std::span<const std::uint8_t> as_bytes(const void* data, std::size_t size) {
  return {static_cast<const std::uint8_t*>(data), size};
}

}  // namespace

void NetlinkBatch::begin_message(std::uint16_t type, std::uint16_t flags, std::string label) {
  align();
  message_start_ = buffer_.size();
  nlmsghdr header{};
  header.nlmsg_type = type;
  header.nlmsg_flags = flags;
  header.nlmsg_seq = next_sequence_++;
  buffer_.resize(buffer_.size() + sizeof(nlmsghdr));
  std::memcpy(buffer_.data() + message_start_, &header, sizeof(header));
  labels_.push_back(std::move(label));
  if ((flags & NLM_F_ACK) != 0) acked_.push_back(header.nlmsg_seq);
}

void NetlinkBatch::put_header(std::span<const std::uint8_t> bytes) {
  buffer_.insert(buffer_.end(), bytes.begin(), bytes.end());
  align();
}

void NetlinkBatch::put_attribute(std::uint16_t type, std::span<const std::uint8_t> payload) {
  align();
  nlattr attribute{};
  attribute.nla_type = type;
  attribute.nla_len = static_cast<std::uint16_t>(kAttributeHeaderSize + payload.size());
  const auto header = as_bytes(&attribute, sizeof(attribute));
  buffer_.insert(buffer_.end(), header.begin(), header.end());
  buffer_.insert(buffer_.end(), payload.begin(), payload.end());
  align();
}

void NetlinkBatch::put_string(std::uint16_t type, std::string_view value) {
  std::vector<std::uint8_t> bytes(value.begin(), value.end());
  bytes.push_back(0);
  put_attribute(type, bytes);
}

void NetlinkBatch::put_u32(std::uint16_t type, std::uint32_t host_order_value) {
  put_attribute(type, as_bytes(&host_order_value, sizeof(host_order_value)));
}

void NetlinkBatch::put_be32(std::uint16_t type, std::uint32_t host_order_value) {
  const std::uint32_t network_order = htonl(host_order_value);
  put_attribute(type, as_bytes(&network_order, sizeof(network_order)));
}

std::size_t NetlinkBatch::begin_nest(std::uint16_t type) {
  align();
  const std::size_t token = buffer_.size();
  put_attribute(static_cast<std::uint16_t>(type | NLA_F_NESTED), {});
  return token;
}

void NetlinkBatch::end_nest(std::size_t token) {
  patch_u16(token, static_cast<std::uint16_t>(buffer_.size() - token));
}

void NetlinkBatch::end_message() {
  align();
  patch_u32(message_start_, static_cast<std::uint32_t>(buffer_.size() - message_start_));
}

std::string NetlinkBatch::label_for(std::uint32_t sequence) const {
  if (sequence < first_sequence_) return {};
  const std::size_t index = sequence - first_sequence_;
  return index < labels_.size() ? labels_[index] : std::string();
}

void NetlinkBatch::align() {
  buffer_.resize((buffer_.size() + kAlignment - 1) / kAlignment * kAlignment, 0);
}

void NetlinkBatch::patch_u16(std::size_t offset, std::uint16_t value) {
  std::memcpy(buffer_.data() + offset, &value, sizeof(value));
}

void NetlinkBatch::patch_u32(std::size_t offset, std::uint32_t value) {
  std::memcpy(buffer_.data() + offset, &value, sizeof(value));
}

}  // namespace jk::launcher::net
