#pragma once
// NetlinkBatch: builds one buffer of netlink messages (rtnetlink requests, or an nf_tables
// batch) with their attributes, nested attributes and a label per message so a kernel error
// can name the request that failed. Pure: no descriptors, no syscalls.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace jk::launcher::net {

class NetlinkBatch {
 public:
  explicit NetlinkBatch(std::uint32_t first_sequence = 1) : next_sequence_(first_sequence) {}

  // Starts a message; `label` names it in errors ("NEWRULE nat/output #1").
  void begin_message(std::uint16_t type, std::uint16_t flags, std::string label);
  // Appends a fixed header struct (ifinfomsg, rtmsg, nfgenmsg...) right after nlmsghdr.
  void put_header(std::span<const std::uint8_t> bytes);
  template <typename Header>
  void put_struct(const Header& header) {
    put_header({reinterpret_cast<const std::uint8_t*>(&header), sizeof(header)});  // NOLINT
  }
  void put_attribute(std::uint16_t type, std::span<const std::uint8_t> payload);
  void put_string(std::uint16_t type, std::string_view value);        // NUL-terminated
  void put_u32(std::uint16_t type, std::uint32_t host_order_value);   // host byte order
  void put_be32(std::uint16_t type, std::uint32_t host_order_value);  // sent big-endian
  // Nested attributes: begin_nest returns a token for end_nest.
  [[nodiscard]] std::size_t begin_nest(std::uint16_t type);
  void end_nest(std::size_t token);
  void end_message();

  [[nodiscard]] std::span<const std::uint8_t> bytes() const { return buffer_; }
  // Label of the message carrying `sequence`, or "" when unknown.
  [[nodiscard]] std::string label_for(std::uint32_t sequence) const;
  // Sequence numbers of messages that asked for an ack (NLM_F_ACK).
  [[nodiscard]] const std::vector<std::uint32_t>& acked_sequences() const { return acked_; }

 private:
  void align();
  void patch_u16(std::size_t offset, std::uint16_t value);
  void patch_u32(std::size_t offset, std::uint32_t value);

  std::vector<std::uint8_t> buffer_;
  std::size_t message_start_ = 0;
  std::uint32_t next_sequence_;
  std::uint32_t first_sequence_ = next_sequence_;
  std::vector<std::string> labels_;
  std::vector<std::uint32_t> acked_;
};

}  // namespace jk::launcher::net
