#pragma once
// A sendmsg/sendto message copied out of the agent once (address, data, control with SCM_RIGHTS
// descriptors fetched into the launcher), then sent by the launcher on the agent's socket: the
// kernel never re-reads the agent's memory, so a racing thread cannot change what is sent where.
#include <sys/socket.h>
#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/result.h"
#include "launcher/sys/unique_fd.h"

namespace jk::launcher::jail {

// Bytes copied per send at most; a stream socket sees a partial write (legal), a datagram
// larger than this fails with EMSGSIZE as it would on every socket anyway (UDP carries at most
// 64 KiB, AF_UNIX datagrams at most the socket's send buffer).
inline constexpr std::size_t kMaxSendBytes = std::size_t{1} << 20;
inline constexpr std::size_t kMaxControlBytes = std::size_t{64} << 10;

struct CopiedMessage {
  std::optional<std::string> name;  // raw sockaddr bytes; nullopt when msg_name was NULL
  std::vector<std::byte> data;
  std::vector<std::byte> control;  // SCM_RIGHTS rewritten to the launcher's descriptors
  std::vector<sys::UniqueFd> passed_fds;
};

// Where the message lives in the agent; `pidfd` is the agent process (for SCM_RIGHTS).
struct RemoteProcess {
  pid_t pid = 0;
  int pidfd = -1;
};

// sendmsg(fd, msghdr at `address`): the header, name, iovecs, data and control.
Result<CopiedMessage> copy_msghdr(const RemoteProcess& from, std::uint64_t address);
// sendto(fd, buf, len, flags, addr, addrlen).
Result<CopiedMessage> copy_sendto(const RemoteProcess& from, std::uint64_t buffer,
                                  std::uint64_t length, std::uint64_t address,
                                  std::uint64_t address_length);

// Byte offsets of the descriptor numbers inside the SCM_RIGHTS messages of `control` (agent
// bytes: every cmsg_len is checked against the buffer; a malformed header is an error, as the
// kernel would answer EINVAL). Pure.
Result<std::vector<std::size_t>> rights_offsets(std::span<const std::byte> control);

// sendmsg(fd, message) with `name` instead of the copied one (nullopt: none). Returns the byte
// count or -errno.
std::int64_t send_copied(int fd, CopiedMessage& message, const std::optional<std::string>& name,
                         int flags);

}  // namespace jk::launcher::jail
