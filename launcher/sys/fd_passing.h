#pragma once
// One message with descriptors (SCM_RIGHTS) over a SOCK_SEQPACKET socket, between the launcher
// and its jail children. Received descriptors are close-on-exec.
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "launcher/sys/unique_fd.h"

namespace jk::launcher::sys {

struct Message {
  std::string text;  // empty at end of stream (the peer closed)
  std::vector<UniqueFd> fds;
};

// A close-on-exec SOCK_SEQPACKET socketpair.
Result<std::pair<UniqueFd, UniqueFd>> seqpacket_pair();

Status send_message(int socket, std::string_view text, std::span<const int> fds = {});
// Up to `max_fds` descriptors (more are closed); a message longer than 4 KiB is truncated.
Result<Message> receive_message(int socket, std::size_t max_fds = 0);

}  // namespace jk::launcher::sys
