#include "launcher/jail/nsjail_handover.h"

#include <sys/socket.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <string_view>

namespace jk::launcher::jail {
namespace {

constexpr std::string_view kGo = "go";
constexpr std::string_view kOk = "ok";
constexpr std::string_view kErrorPrefix = "error: ";
constexpr std::size_t kHandedFds = 2;
constexpr std::size_t kMaxMessage = 4096;

Error errno_error(std::string_view what) {
  return make_error(std::string(what) + ": " + std::strerror(errno));
}

Status send_text(int fd, std::string_view text) {
  while (::send(fd, text.data(), text.size(), MSG_NOSIGNAL) < 0) {
    if (errno != EINTR) return errno_error("nsjail handover: send");
  }
  return {};
}

// Receives one message and up to kHandedFds descriptors (owned by `fds`).
Result<std::string> receive(int fd, std::array<sys::UniqueFd, kHandedFds>& fds) {
  std::array<char, kMaxMessage> buffer{};
  iovec io{buffer.data(), buffer.size()};
  alignas(cmsghdr) std::array<char, CMSG_SPACE(sizeof(int) * kHandedFds)> control{};
  msghdr message{};
  message.msg_iov = &io;
  message.msg_iovlen = 1;
  message.msg_control = control.data();
  message.msg_controllen = control.size();
  ssize_t n = 0;
  while ((n = ::recvmsg(fd, &message, MSG_CMSG_CLOEXEC)) < 0 && errno == EINTR) {
  }
  if (n < 0) return errno_error("nsjail handover: receive");
  for (cmsghdr* c = CMSG_FIRSTHDR(&message); c != nullptr; c = CMSG_NXTHDR(&message, c)) {
    if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) continue;
    const std::size_t count = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
    for (std::size_t i = 0; i < count && i < kHandedFds; ++i) {
      int received = -1;
      std::memcpy(&received, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
      fds[i].reset(received);
    }
  }
  return std::string(buffer.data(), static_cast<std::size_t>(n));
}

}  // namespace

Result<HandoverPair> make_handover_pair() {
  std::array<int, 2> fds{};
  if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds.data()) != 0) {
    return errno_error("nsjail handover: socketpair");
  }
  return HandoverPair{sys::UniqueFd(fds[0]), sys::UniqueFd(fds[1])};
}

Status send_go(int fd) { return send_text(fd, kGo); }

Status wait_for_go(int fd) {
  std::array<sys::UniqueFd, kHandedFds> none;
  JK_TRY(const std::string text, receive(fd, none));
  if (text != kGo) return make_error("nsjail handover: the launcher went away");
  return {};
}

Status send_sockets(int fd, const JailSockets& sockets) {
  const std::array<int, kHandedFds> handed{sockets.tcp_listener.get(), sockets.dns_socket.get()};
  iovec io{const_cast<char*>(kOk.data()), kOk.size()};  // NOLINT: iovec is not const-correct
  alignas(cmsghdr) std::array<char, CMSG_SPACE(sizeof(handed))> control{};
  msghdr message{};
  message.msg_iov = &io;
  message.msg_iovlen = 1;
  message.msg_control = control.data();
  message.msg_controllen = control.size();
  cmsghdr* c = CMSG_FIRSTHDR(&message);
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SCM_RIGHTS;
  c->cmsg_len = CMSG_LEN(sizeof(handed));
  std::memcpy(CMSG_DATA(c), handed.data(), sizeof(handed));
  while (::sendmsg(fd, &message, MSG_NOSIGNAL) < 0) {
    if (errno != EINTR) return errno_error("nsjail handover: sendmsg");
  }
  return {};
}

Status send_failure(int fd, const std::string& message) {
  return send_text(fd, std::string(kErrorPrefix) + message);
}

Result<JailSockets> receive_sockets(int fd) {
  std::array<sys::UniqueFd, kHandedFds> fds;
  JK_TRY(const std::string text, receive(fd, fds));
  if (text.rfind(kErrorPrefix, 0) == 0) return make_error(text.substr(kErrorPrefix.size()));
  if (text != kOk) return make_error("");  // the child died before sending anything
  if (!fds[0] || !fds[1]) return make_error("nsjail handover: descriptors missing");
  return JailSockets{std::move(fds[0]), std::move(fds[1])};
}

}  // namespace jk::launcher::jail
