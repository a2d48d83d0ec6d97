#pragma once
// Netlink sockets to the kernel (rtnetlink, nf_tables): the socket and the send. Replies are
// read with receive_bytes (socket.h). The messages are built in launcher/net.
#include <cstdint>
#include <span>

#include "common/result.h"
#include "launcher/sys/unique_fd.h"

namespace jk::launcher::sys {

// socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, protocol), bound (the kernel picks the port id).
Result<UniqueFd> open_netlink_socket(int protocol);
// Sends `bytes` (one batch of messages) to the kernel in one sendto; a short send is an error.
Status send_to_kernel(int fd, std::span<const std::uint8_t> bytes);

}  // namespace jk::launcher::sys
