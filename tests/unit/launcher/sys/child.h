#pragma once
// Runs a check in a forked child so that irreversible changes (seccomp, Landlock, dropped
// capabilities) never touch the test process. The body returns the child's exit code.
#include <sys/wait.h>
#include <unistd.h>

#include <functional>

namespace jk::launcher::sys::testing {

inline constexpr int kChildCrashed = -1;

inline int run_in_child(const std::function<int()>& body) {
  const pid_t pid = fork();
  if (pid == 0) _exit(body());
  int status = 0;
  if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) return kChildCrashed;
  return WEXITSTATUS(status);
}

}  // namespace jk::launcher::sys::testing
