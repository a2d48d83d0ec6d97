#include "launcher/sys/namespaces.h"

#include <sched.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "launcher/sys/errno_error.h"

namespace jk::launcher::sys {

Result<pid_t> clone_into_namespaces(unsigned long clone_flags, std::string_view what) {
  const long pid = ::syscall(SYS_clone, clone_flags, nullptr, nullptr, nullptr, nullptr);
  if (pid < 0) return errno_error(what);
  return static_cast<pid_t>(pid);
}

Status unshare_namespaces(int flags, std::string_view what) {
  if (::unshare(flags) != 0) return errno_error(what);
  return {};
}

Status make_mounts_private() {
  if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) {
    return errno_error("make / private");
  }
  return {};
}

Status mount_fresh_proc() {
  if (::mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr) != 0) {
    return errno_error("mount /proc");
  }
  return {};
}

}  // namespace jk::launcher::sys
