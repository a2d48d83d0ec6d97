#pragma once
// Runs a test body in a forked child inside a fresh network namespace, so nothing touches the
// test runner's namespace. The body returns a string (what the test asserts on); failures and
// "namespace not available" come back as "ERROR: ..." and "SKIP: ...".
#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <functional>
#include <string>

namespace jk::launcher::testing {

inline std::string run_in_new_netns(const std::function<std::string()>& body) {
  int pipe_fds[2];
  if (::pipe(pipe_fds) != 0) return "ERROR: pipe";
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::close(pipe_fds[0]);
    std::string out = ::unshare(CLONE_NEWNET) == 0
                          ? body()
                          : std::string("SKIP: unshare(CLONE_NEWNET): ") + std::strerror(errno);
    const char* data = out.data();
    std::size_t left = out.size();
    while (left > 0) {
      const ssize_t n = ::write(pipe_fds[1], data, left);
      if (n <= 0) break;
      data += n;
      left -= static_cast<std::size_t>(n);
    }
    ::_exit(0);
  }
  ::close(pipe_fds[1]);
  std::string result;
  char buffer[4096];
  ssize_t n = 0;
  while ((n = ::read(pipe_fds[0], buffer, sizeof(buffer))) > 0) {
    result.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(pipe_fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return "ERROR: child died";
  return result;
}

#define JK_SKIP_IF_NO_NETNS(out) \
  if ((out).rfind("SKIP: ", 0) == 0) GTEST_SKIP() << (out)

}  // namespace jk::launcher::testing
