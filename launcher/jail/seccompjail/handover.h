#pragma once
// The seccompjail child -> launcher handover of the notification listener, over a close-on-exec
// SOCK_SEQPACKET socketpair. The child cannot pass the listener with SCM_RIGHTS (its own filter
// sends sendmsg to that very listener, which nobody reads yet), so it writes its pid and the
// descriptor's number, and the launcher (its parent, or its keeper's parent) takes the
// descriptor with pidfd_getfd(), then says so. The same channel carries the child's error
// message, or nothing when execve succeeds (the kernel closes it).
#include <sys/types.h>

#include <string>

#include "common/result.h"
#include "launcher/sys/unique_fd.h"

namespace jk::launcher::jail {

// Exit status of a seccompjail child that failed before exec (as env(1) uses it).
inline constexpr int kSeccompjailSetupFailed = 125;

class Handover {
 public:
  static Result<Handover> create();

  void in_child() { parent_end_.reset(); }
  void in_parent() { child_end_.reset(); }

  // Child: announces `listener_fd` and waits until the launcher has taken it.
  Status offer_listener(int listener_fd);
  // A process between the launcher and the child (the keeper), after forking the child.
  void forget() {
    parent_end_.reset();
    child_end_.reset();
  }
  // Child: reports a failure (the parent's take_listener / wait_for_exec return it).
  void send_error(const std::string& message);

  // Launcher: the listener from the child that offered it (needs ptrace access to the child:
  // same uid and dumpable, or CAP_SYS_PTRACE; and a seccomp profile that allows pidfd_getfd).
  Result<sys::UniqueFd> take_listener();
  // Parent: Ok once the child has exec'd; its error otherwise.
  Status wait_for_exec();

 private:
  sys::UniqueFd parent_end_;
  sys::UniqueFd child_end_;
};

}  // namespace jk::launcher::jail
