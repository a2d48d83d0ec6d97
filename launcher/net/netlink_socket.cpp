#include "launcher/net/netlink_socket.h"

#include <linux/netlink.h>
#include <sys/socket.h>

#include <cstring>

#include "launcher/sys/netlink.h"
#include "launcher/sys/socket.h"

namespace jk::launcher::net {
namespace {

constexpr std::size_t kReceiveBufferSize = 32 * 1024;

// One answer: `header` and the bytes after it (`payload`, possibly empty).
void tally_one(const nlmsghdr& header, std::span<const std::uint8_t> payload,
               const NetlinkBatch& batch, AckTally& tally) {
  if (header.nlmsg_type != NLMSG_ERROR) return;
  nlmsgerr error{};
  if (payload.size() < sizeof(error)) {
    if (!tally.first_error) tally.first_error = make_error("netlink: truncated error message");
    return;
  }
  std::memcpy(&error, payload.data(), sizeof(error));
  ++tally.acks;
  if (error.error == 0 || tally.first_error) return;
  std::string label = batch.label_for(error.msg.nlmsg_seq);
  if (label.empty()) label = "netlink request " + std::to_string(error.msg.nlmsg_seq);
  tally.first_error = make_error(label + ": " + std::strerror(-error.error));
}

}  // namespace

void tally_acks(std::span<const std::uint8_t> bytes, const NetlinkBatch& batch, AckTally& tally) {
  std::size_t offset = 0;
  while (bytes.size() - offset >= NLMSG_HDRLEN) {
    nlmsghdr header{};
    std::memcpy(&header, bytes.data() + offset, sizeof(header));
    if (header.nlmsg_len < NLMSG_HDRLEN || header.nlmsg_len > bytes.size() - offset) return;
    tally_one(header, bytes.subspan(offset + NLMSG_HDRLEN, header.nlmsg_len - NLMSG_HDRLEN), batch,
              tally);
    offset += NLMSG_ALIGN(header.nlmsg_len);
    if (offset > bytes.size()) return;
  }
}

Result<NetlinkSocket> NetlinkSocket::open(int protocol) {
  JK_TRY(sys::UniqueFd fd, sys::open_netlink_socket(protocol));
  return NetlinkSocket(std::move(fd));
}

Status NetlinkSocket::transact(const NetlinkBatch& batch) {
  JK_TRY_STATUS(send_all(batch));
  return collect_acks(batch);
}

Status NetlinkSocket::send_all(const NetlinkBatch& batch) {
  return sys::send_to_kernel(fd_.get(), batch.bytes());
}

Status NetlinkSocket::collect_acks(const NetlinkBatch& batch) {
  AckTally tally;
  std::vector<std::uint8_t> buffer(kReceiveBufferSize);
  while (tally.acks < batch.acked_sequences().size()) {
    auto received = sys::receive_bytes(fd_.get(), buffer, MSG_DONTWAIT);
    if (!received.ok()) return received.error().wrap("netlink receive");
    if (!received->has_value() || **received == 0) break;  // nothing more is queued
    tally_acks({buffer.data(), **received}, batch, tally);
  }
  if (tally.first_error) return *tally.first_error;
  if (tally.acks < batch.acked_sequences().size()) {
    return make_error("netlink: the kernel acknowledged " + std::to_string(tally.acks) + " of " +
                      std::to_string(batch.acked_sequences().size()) + " requests");
  }
  return {};
}

}  // namespace jk::launcher::net
