#include "launcher/sys/fd_passing.h"
#include "launcher/sys/errno_error.h"

#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

namespace jk::launcher::sys {
namespace {

constexpr std::size_t kMaxText = 4096;
constexpr std::size_t kMaxFds = 8;

}  // namespace

Result<std::pair<UniqueFd, UniqueFd>> seqpacket_pair() {
  std::array<int, 2> fds{};
  if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds.data()) != 0) {
    return errno_error("socketpair(AF_UNIX, SOCK_SEQPACKET)");
  }
  return std::pair{UniqueFd(fds[0]), UniqueFd(fds[1])};
}

Status send_message(int socket, std::string_view text, std::span<const int> fds) {
  if (fds.size() > kMaxFds) return make_error("send_message: too many descriptors");
  iovec io{const_cast<char*>(text.data()), text.size()};  // NOLINT: iovec is not const-correct
  alignas(cmsghdr) std::array<char, CMSG_SPACE(sizeof(int) * kMaxFds)> control{};
  msghdr message{};
  message.msg_iov = &io;
  message.msg_iovlen = 1;
  if (!fds.empty()) {
    message.msg_control = control.data();
    message.msg_controllen = CMSG_SPACE(sizeof(int) * fds.size());
    cmsghdr* c = CMSG_FIRSTHDR(&message);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int) * fds.size());
    std::memcpy(CMSG_DATA(c), fds.data(), sizeof(int) * fds.size());
  }
  if (retry_on_eintr([&] { return ::sendmsg(socket, &message, MSG_NOSIGNAL); }) < 0) {
    return errno_error("sendmsg");
  }
  return {};
}

Result<Message> receive_message(int socket, std::size_t max_fds) {
  std::array<char, kMaxText> buffer{};
  iovec io{buffer.data(), buffer.size()};
  alignas(cmsghdr) std::array<char, CMSG_SPACE(sizeof(int) * kMaxFds)> control{};
  msghdr message{};
  message.msg_iov = &io;
  message.msg_iovlen = 1;
  message.msg_control = control.data();
  message.msg_controllen = control.size();
  const ssize_t n = retry_on_eintr([&] { return ::recvmsg(socket, &message, MSG_CMSG_CLOEXEC); });
  if (n < 0) return errno_error("recvmsg");
  Message out;
  out.text.assign(buffer.data(), static_cast<std::size_t>(n));
  for (cmsghdr* c = CMSG_FIRSTHDR(&message); c != nullptr; c = CMSG_NXTHDR(&message, c)) {
    if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) continue;
    const std::size_t count = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
    for (std::size_t i = 0; i < count; ++i) {
      int received = -1;
      std::memcpy(&received, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
      UniqueFd owned(received);
      if (out.fds.size() < max_fds) out.fds.push_back(std::move(owned));
    }
  }
  return out;
}

}  // namespace jk::launcher::sys
