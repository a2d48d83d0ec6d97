#pragma once
// Seccomp user notifications, seen from the supervising process: receive a notification, check
// it is still valid, read/write the target's memory, fetch its descriptors (pidfd_getfd),
// install a descriptor in its place (SECCOMP_IOCTL_NOTIF_ADDFD + SETFD) and answer.
#include <linux/filter.h>
#include <sys/types.h>

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "common/result.h"
#include "launcher/sys/unique_fd.h"

namespace jk::launcher::sys {

inline constexpr int kSyscallArgs = 6;

// Installs `program` with SECCOMP_FILTER_FLAG_NEW_LISTENER (and WAIT_KILLABLE_RECV where the
// kernel has it) and returns the listener (O_CLOEXEC). Needs no_new_privs (or CAP_SYS_ADMIN).
// Applies to the calling thread and its future children.
Result<UniqueFd> install_notify_filter(const std::vector<sock_filter>& program);

struct Notification {
  std::uint64_t id = 0;
  pid_t pid = 0;
  int syscall = 0;
  std::uint32_t arch = 0;
  std::array<std::uint64_t, kSyscallArgs> args{};
};

class NotifyListener {
 public:
  explicit NotifyListener(UniqueFd fd) : fd_(std::move(fd)) {}

  // Reads the next notification (blocks when none is pending: poll() the fd first). nullopt
  // when the pending one vanished (its target was killed meanwhile). An error means the
  // listener is unusable.
  [[nodiscard]] Result<std::optional<Notification>> receive() const;
  // The target is still blocked in the syscall this id names (so memory read for it is its).
  [[nodiscard]] bool id_valid(std::uint64_t id) const;
  // Answers the syscall with a return value / with -err.
  Status respond_value(std::uint64_t id, std::int64_t value) const;
  Status respond_error(std::uint64_t id, int err) const;
  // Puts `source` (ours) into the target as descriptor `target_fd`, replacing what was there.
  // `cloexec`: the new descriptor gets FD_CLOEXEC.
  Status install_fd(std::uint64_t id, int source, int target_fd, bool cloexec) const;

  [[nodiscard]] int fd() const { return fd_.get(); }

 private:
  UniqueFd fd_;
};

// process_vm_readv / process_vm_writev of exactly `length` bytes.
Result<std::vector<std::byte>> read_memory(pid_t pid, std::uint64_t address, std::size_t length);
Status write_memory(pid_t pid, std::uint64_t address, const void* data, std::size_t length);

// pidfd_getfd(pidfd, target_fd): our own descriptor for the target's open file.
Result<UniqueFd> fetch_fd(int pidfd, int target_fd);
// FD_CLOEXEC of the target's descriptor, from /proc/PID/fdinfo/FD.
Result<bool> remote_fd_cloexec(pid_t pid, int target_fd);

// SO_DOMAIN / SO_TYPE / SO_PROTOCOL; not a socket is an error.
struct SocketKind {
  int domain = 0;
  int type = 0;
  int protocol = 0;
};
Result<SocketKind> socket_kind(int fd);

}  // namespace jk::launcher::sys
