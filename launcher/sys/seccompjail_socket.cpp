#include "launcher/sys/seccompjail_socket.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fstream>

namespace jk::launcher::sys {
namespace {

Error errno_error(const std::string& what) {
  return make_error(what + ": " + std::strerror(errno));
}

Result<UniqueFd> pidfd_open(pid_t pid) {
  const long fd = ::syscall(SYS_pidfd_open, pid, 0);
  if (fd < 0) return errno_error("pidfd_open(" + std::to_string(pid) + ")");
  return UniqueFd(static_cast<int>(fd));
}

Result<pid_t> thread_group_of(pid_t tid) {
  const std::string path = "/proc/" + std::to_string(tid) + "/status";
  std::ifstream in(path);
  std::string key;
  while (in >> key) {
    if (key == "Tgid:") {
      long tgid = 0;
      if (in >> tgid) return static_cast<pid_t>(tgid);
    }
  }
  return make_error(path + ": no Tgid");
}

}  // namespace

int connect_raw(int fd, const std::string& address) {
  const int rc = ::connect(fd, reinterpret_cast<const sockaddr*>(address.data()),  // NOLINT
                           static_cast<socklen_t>(address.size()));
  return rc < 0 ? -errno : 0;
}

bool is_nonblocking(int fd) {
  const int flags = ::fcntl(fd, F_GETFL);
  return flags >= 0 && (flags & O_NONBLOCK) != 0;
}

Status copy_nonblocking(int from, int to) {
  const int flags = ::fcntl(to, F_GETFL);
  if (flags < 0) return errno_error("fcntl(F_GETFL)");
  const int wanted = is_nonblocking(from) ? (flags | O_NONBLOCK) : (flags & ~O_NONBLOCK);
  if (::fcntl(to, F_SETFL, wanted) < 0) return errno_error("fcntl(F_SETFL)");
  return {};
}

void copy_tcp_options(int from, int to) {
  struct Option {
    int level;
    int name;
  };
  static constexpr Option kIntOptions[] = {
      {IPPROTO_TCP, TCP_NODELAY},   {SOL_SOCKET, SO_KEEPALIVE}, {IPPROTO_TCP, TCP_KEEPIDLE},
      {IPPROTO_TCP, TCP_KEEPINTVL}, {IPPROTO_TCP, TCP_KEEPCNT}, {IPPROTO_TCP, TCP_USER_TIMEOUT}};
  for (const auto& o : kIntOptions) {
    int value = 0;
    socklen_t len = sizeof(value);
    if (::getsockopt(from, o.level, o.name, &value, &len) == 0) {
      ::setsockopt(to, o.level, o.name, &value, len);
    }
  }
  linger l{};
  socklen_t len = sizeof(l);
  if (::getsockopt(from, SOL_SOCKET, SO_LINGER, &l, &len) == 0 && l.l_onoff != 0) {
    ::setsockopt(to, SOL_SOCKET, SO_LINGER, &l, len);
  }
}

bool is_connected(int fd) {
  sockaddr_storage peer{};
  socklen_t len = sizeof(peer);
  return ::getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &len) == 0;  // NOLINT
}

Result<UniqueFd> open_process_of_thread(pid_t tid) {
  const long fd = ::syscall(SYS_pidfd_open, tid, 0);
  if (fd >= 0) return UniqueFd(static_cast<int>(fd));
  // Not a thread-group leader: EINVAL before Linux 6.9, ENOENT since (without PIDFD_THREAD).
  if (errno != EINVAL && errno != ENOENT) {
    return errno_error("pidfd_open(" + std::to_string(tid) + ")");
  }
  JK_TRY(const pid_t tgid, thread_group_of(tid));
  return pidfd_open(tgid);
}

Result<UniqueFd> make_event() {
  const int fd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (fd < 0) return errno_error("eventfd");
  return UniqueFd(fd);
}

void signal_event(int fd) {
  const std::uint64_t one = 1;
  [[maybe_unused]] const ssize_t n = ::write(fd, &one, sizeof(one));
}

}  // namespace jk::launcher::sys
