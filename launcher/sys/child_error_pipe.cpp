#include "launcher/sys/child_error_pipe.h"

#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

#include "launcher/sys/errno_error.h"
#include "launcher/sys/file_io.h"
#include "launcher/sys/process.h"

namespace jk::launcher::sys {
namespace {
constexpr std::size_t kChunk = 512;
}  // namespace

Result<ChildErrorPipe> ChildErrorPipe::create() {
  std::array<int, 2> fds{};
  if (pipe2(fds.data(), O_CLOEXEC) != 0) {
    return errno_error("pipe2");
  }
  ChildErrorPipe pipe;
  pipe.read_end_.reset(fds[0]);
  pipe.write_end_.reset(fds[1]);
  return pipe;
}

void ChildErrorPipe::fail(const std::string& message) {
  [[maybe_unused]] const Status written = write_all(write_end_.get(), message);
  _exit(kChildSetupFailed);
}

Status ChildErrorPipe::wait_for_exec(pid_t child) {
  write_end_.reset();
  std::string message;
  std::array<char, kChunk> buffer{};
  for (;;) {
    const auto n = read_some(read_end_.get(), buffer);
    if (!n.ok() || *n == 0) break;
    message.append(buffer.data(), *n);
  }
  read_end_.reset();
  if (message.empty()) return {};
  (void)wait_for_exit(child);
  return make_error(message);
}

}  // namespace jk::launcher::sys
