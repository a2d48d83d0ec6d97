#include "launcher/sys/seccomp_notify.h"
#include "launcher/sys/errno_error.h"

#include <fcntl.h>
#include <linux/seccomp.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>

namespace jk::launcher::sys {
namespace {

constexpr int kOctal = 8;

int ioctl_retry(int fd, unsigned long request, void* arg) {
  return retry_on_eintr([&] { return ::ioctl(fd, request, arg); });
}

Status respond(int fd, seccomp_notif_resp& resp) {
  if (ioctl_retry(fd, SECCOMP_IOCTL_NOTIF_SEND, &resp) == 0) return {};
  // ENOENT: the target was interrupted or died meanwhile; nothing to answer.
  if (errno == ENOENT) return {};
  return errno_error("SECCOMP_IOCTL_NOTIF_SEND");
}

}  // namespace

Result<std::optional<Notification>> NotifyListener::receive() const {
  seccomp_notif req{};
  if (ioctl_retry(fd_.get(), SECCOMP_IOCTL_NOTIF_RECV, &req) < 0) {
    // ENOENT: the target died between the wake-up and the read.
    if (errno == ENOENT) return std::optional<Notification>();
    return errno_error("SECCOMP_IOCTL_NOTIF_RECV");
  }
  Notification n;
  n.id = req.id;
  n.pid = static_cast<pid_t>(req.pid);
  n.syscall = req.data.nr;
  n.arch = req.data.arch;
  for (int i = 0; i < kSyscallArgs; ++i) n.args.at(static_cast<std::size_t>(i)) = req.data.args[i];
  return std::optional<Notification>(n);
}

bool NotifyListener::id_valid(std::uint64_t id) const {
  return ioctl_retry(fd_.get(), SECCOMP_IOCTL_NOTIF_ID_VALID, &id) == 0;
}

Status NotifyListener::respond_value(std::uint64_t id, std::int64_t value) const {
  seccomp_notif_resp resp{};
  resp.id = id;
  resp.val = value;
  return respond(fd_.get(), resp);
}

Status NotifyListener::respond_error(std::uint64_t id, int err) const {
  seccomp_notif_resp resp{};
  resp.id = id;
  resp.error = -err;
  return respond(fd_.get(), resp);
}

Status NotifyListener::install_fd(std::uint64_t id, int source, int target_fd, bool cloexec) const {
  seccomp_notif_addfd add{};
  add.id = id;
  add.flags = SECCOMP_ADDFD_FLAG_SETFD;
  add.srcfd = static_cast<std::uint32_t>(source);
  add.newfd = static_cast<std::uint32_t>(target_fd);
  add.newfd_flags = cloexec ? O_CLOEXEC : 0;
  if (ioctl_retry(fd_.get(), SECCOMP_IOCTL_NOTIF_ADDFD, &add) < 0) {
    return errno_error("SECCOMP_IOCTL_NOTIF_ADDFD");
  }
  return {};
}

Result<std::vector<std::byte>> read_memory(pid_t pid, std::uint64_t address, std::size_t length) {
  std::vector<std::byte> out(length);
  if (length == 0) return out;
  iovec local{out.data(), length};
  iovec remote{reinterpret_cast<void*>(address), length};  // NOLINT: a remote address
  const ssize_t n = ::process_vm_readv(pid, &local, 1, &remote, 1, 0);
  if (n < 0) return errno_error("process_vm_readv");
  if (static_cast<std::size_t>(n) != length) return make_error("process_vm_readv: short read");
  return out;
}

Status write_memory(pid_t pid, std::uint64_t address, const void* data, std::size_t length) {
  iovec local{const_cast<void*>(data), length};            // NOLINT: the iovec API
  iovec remote{reinterpret_cast<void*>(address), length};  // NOLINT: a remote address
  const ssize_t n = ::process_vm_writev(pid, &local, 1, &remote, 1, 0);
  if (n < 0) return errno_error("process_vm_writev");
  if (static_cast<std::size_t>(n) != length) return make_error("process_vm_writev: short write");
  return {};
}

Result<UniqueFd> fetch_fd(int pidfd, int target_fd) {
  const long fd = ::syscall(SYS_pidfd_getfd, pidfd, target_fd, 0);
  if (fd < 0) return errno_error("pidfd_getfd(" + std::to_string(target_fd) + ")");
  return UniqueFd(static_cast<int>(fd));
}

Result<bool> remote_fd_cloexec(pid_t pid, int target_fd) {
  const std::string path = "/proc/" + std::to_string(pid) + "/fdinfo/" + std::to_string(target_fd);
  std::ifstream in(path);
  std::string key;
  std::string value;
  while (in >> key >> value) {
    if (key == "flags:") return (std::strtoul(value.c_str(), nullptr, kOctal) & O_CLOEXEC) != 0;
  }
  return make_error(path + ": no flags");
}

Result<SocketKind> socket_kind(int fd) {
  SocketKind kind;
  const std::pair<int, int*> options[] = {
      {SO_DOMAIN, &kind.domain}, {SO_TYPE, &kind.type}, {SO_PROTOCOL, &kind.protocol}};
  for (const auto& [option, out] : options) {
    socklen_t len = sizeof(int);
    if (::getsockopt(fd, SOL_SOCKET, option, out, &len) < 0) return errno_error("getsockopt");
  }
  return kind;
}

Result<UniqueFd> install_notify_filter(const std::vector<sock_filter>& program) {
  sock_fprog fprog{};
  fprog.len = static_cast<unsigned short>(program.size());
  fprog.filter = const_cast<sock_filter*>(program.data());  // NOLINT: the kernel does not write
  // WAIT_KILLABLE_RECV (Linux >= 5.19): once the launcher has read a notification, a signal no
  // longer interrupts (and restarts) the agent's call, so a send is never performed twice.
  long fd =
      ::syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
                SECCOMP_FILTER_FLAG_NEW_LISTENER | SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV, &fprog);
  if (fd < 0 && errno == EINVAL) {
    fd = ::syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, &fprog);
  }
  if (fd < 0) {
    return errno_error("seccomp(SET_MODE_FILTER, NEW_LISTENER)");
  }
  return UniqueFd(static_cast<int>(fd));
}

}  // namespace jk::launcher::sys
