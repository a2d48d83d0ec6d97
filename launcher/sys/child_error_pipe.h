#pragma once
// Tells the parent whether a forked child reached execve: a close-on-exec pipe that stays silent
// when exec succeeds (the kernel closes it) and carries the child's error message otherwise. So
// start_<jail>() can fail with the child's reason instead of the agent "exiting 125".
#include <sys/types.h>

#include <string>

#include "common/result.h"
#include "launcher/sys/unique_fd.h"

namespace jk::launcher::sys {

// Exit status of a jail child that failed before exec (as env(1) and docker run use it).
inline constexpr int kChildSetupFailed = 125;

class ChildErrorPipe {
 public:
  static Result<ChildErrorPipe> create();

  // In the child: writes the message and exits with kChildSetupFailed. Never returns.
  [[noreturn]] void fail(const std::string& message);
  // In the child, first thing after fork: closes the read end.
  void in_child() { read_end_.reset(); }
  // In a process between the parent and the child that execs (the keeper), after forking that
  // child: it must not hold the write end, or the parent would never see the exec.
  void forget() {
    read_end_.reset();
    write_end_.reset();
  }
  // In the parent after fork: waits until the child execs (Ok) or reports an error (then the
  // child is reaped, and the error returned).
  Status wait_for_exec(pid_t child);

 private:
  UniqueFd read_end_;
  UniqueFd write_end_;
};

}  // namespace jk::launcher::sys
