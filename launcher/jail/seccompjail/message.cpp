#include "launcher/jail/seccompjail/message.h"

#include <sys/uio.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "launcher/sys/seccomp_notify.h"
#include "launcher/sys/socket.h"

namespace jk::launcher::jail {
namespace {

constexpr std::size_t kMaxIov = 1024;  // UIO_MAXIOV
constexpr std::size_t kMaxName = sizeof(sockaddr_storage);

template <typename T>
Result<T> read_struct(pid_t pid, std::uint64_t address) {
  JK_TRY(auto bytes, sys::read_memory(pid, address, sizeof(T)));
  T value{};
  std::memcpy(&value, bytes.data(), sizeof(T));
  return value;
}

Result<std::optional<std::string>> copy_name(pid_t pid, std::uint64_t address,
                                             std::uint64_t length) {
  if (address == 0) return std::optional<std::string>{};
  if (length > kMaxName) return make_error("address longer than sockaddr_storage");
  JK_TRY(auto bytes, sys::read_memory(pid, address, length));
  return std::optional<std::string>(
      std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size()));  // NOLINT
}

Status copy_iov(pid_t pid, std::uint64_t iov_address, std::size_t count,
                std::vector<std::byte>& data) {
  if (count > kMaxIov) return make_error("more than UIO_MAXIOV iovecs");
  JK_TRY(auto raw, sys::read_memory(pid, iov_address, count * sizeof(iovec)));
  for (std::size_t i = 0; i < count && data.size() < kMaxSendBytes; ++i) {
    iovec v{};
    std::memcpy(&v, raw.data() + i * sizeof(iovec), sizeof(iovec));
    const std::size_t take = std::min(v.iov_len, kMaxSendBytes - data.size());
    JK_TRY(auto part, sys::read_memory(pid, reinterpret_cast<std::uint64_t>(v.iov_base), take));
    data.insert(data.end(), part.begin(), part.end());
  }
  return {};
}

// Replaces each descriptor number in SCM_RIGHTS messages by the launcher's copy of it.
Status translate_rights(const RemoteProcess& from, CopiedMessage& m) {
  JK_TRY(const auto offsets, rights_offsets(m.control));
  for (const std::size_t at : offsets) {
    int fd_number = 0;
    std::memcpy(&fd_number, m.control.data() + at, sizeof(int));
    JK_TRY(auto fd, sys::fetch_fd(from.pidfd, fd_number));
    fd_number = fd.get();
    std::memcpy(m.control.data() + at, &fd_number, sizeof(int));
    m.passed_fds.push_back(std::move(fd));
  }
  return {};
}

}  // namespace

Result<CopiedMessage> copy_msghdr(const RemoteProcess& from, std::uint64_t address) {
  JK_TRY(const msghdr header, read_struct<msghdr>(from.pid, address));
  CopiedMessage m;
  JK_TRY(m.name,
         copy_name(from.pid, reinterpret_cast<std::uint64_t>(header.msg_name), header.msg_namelen));
  JK_TRY_STATUS(copy_iov(from.pid, reinterpret_cast<std::uint64_t>(header.msg_iov),
                         header.msg_iovlen, m.data));
  if (header.msg_control != nullptr && header.msg_controllen > 0) {
    if (header.msg_controllen > kMaxControlBytes) return make_error("control data too long");
    JK_TRY(m.control,
           sys::read_memory(from.pid, reinterpret_cast<std::uint64_t>(header.msg_control),
                            header.msg_controllen));
    JK_TRY_STATUS(translate_rights(from, m));
  }
  return m;
}

Result<CopiedMessage> copy_sendto(const RemoteProcess& from, std::uint64_t buffer,
                                  std::uint64_t length, std::uint64_t address,
                                  std::uint64_t address_length) {
  CopiedMessage m;
  JK_TRY(m.name, copy_name(from.pid, address, address_length));
  JK_TRY(m.data,
         sys::read_memory(from.pid, buffer, std::min<std::uint64_t>(length, kMaxSendBytes)));
  return m;
}

Result<std::vector<std::size_t>> rights_offsets(std::span<const std::byte> control) {
  std::vector<std::size_t> offsets;
  std::size_t at = 0;
  while (control.size() - at >= sizeof(cmsghdr)) {
    cmsghdr header{};
    std::memcpy(&header, control.data() + at, sizeof(header));
    if (header.cmsg_len < CMSG_LEN(0) || header.cmsg_len > control.size() - at) {
      return make_error("malformed control message");
    }
    if (header.cmsg_level == SOL_SOCKET && header.cmsg_type == SCM_RIGHTS) {
      const std::size_t count = (header.cmsg_len - CMSG_LEN(0)) / sizeof(int);
      for (std::size_t i = 0; i < count; ++i) offsets.push_back(at + CMSG_LEN(0) + i * sizeof(int));
    }
    const std::size_t step = CMSG_ALIGN(header.cmsg_len);
    if (step >= control.size() - at) break;
    at += step;
  }
  return offsets;
}

std::int64_t send_copied(int fd, CopiedMessage& message, const std::optional<std::string>& name,
                         int flags) {
  iovec iov{message.data.data(), message.data.size()};
  msghdr h{};
  std::string name_bytes = name.value_or(std::string());
  if (name) {
    h.msg_name = name_bytes.data();
    h.msg_namelen = static_cast<socklen_t>(name_bytes.size());
  }
  h.msg_iov = &iov;
  h.msg_iovlen = 1;
  if (!message.control.empty()) {
    h.msg_control = message.control.data();
    h.msg_controllen = message.control.size();
  }
  return sys::send_message_raw(fd, h, flags);
}

}  // namespace jk::launcher::jail
