#pragma once
// NetlinkSocket: an open NETLINK_ROUTE or NETLINK_NETFILTER socket that sends a NetlinkBatch and
// collects the kernel's acknowledgements. Requests to both families are processed while the
// send() call runs, so every answer is queued when send() returns.
#include <cstddef>
#include <optional>
#include <span>

#include "common/result.h"
#include "launcher/net/netlink_message.h"
#include "launcher/sys/unique_fd.h"

namespace jk::launcher::net {

class NetlinkSocket {
 public:
  // protocol: NETLINK_ROUTE or NETLINK_NETFILTER.
  static Result<NetlinkSocket> open(int protocol);

  // Sends the batch and checks that every message with NLM_F_ACK was acknowledged; the first
  // kernel error is returned as "<label>: <strerror>".
  Status transact(const NetlinkBatch& batch);

 private:
  explicit NetlinkSocket(sys::UniqueFd fd) : fd_(std::move(fd)) {}
  Status send_all(const NetlinkBatch& batch);
  Status collect_acks(const NetlinkBatch& batch);

  sys::UniqueFd fd_;
};

// Decodes the answers in `bytes` (a receive buffer) against `batch`: counts acks and returns the
// first error. Pure, for tests.
struct AckTally {
  std::size_t acks = 0;
  std::optional<Error> first_error;
};
void tally_acks(std::span<const std::uint8_t> bytes, const NetlinkBatch& batch, AckTally& tally);

}  // namespace jk::launcher::net
