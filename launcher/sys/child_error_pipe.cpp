#include "launcher/sys/child_error_pipe.h"

#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

#include "launcher/sys/process.h"

namespace jk::launcher::sys {
namespace {
constexpr std::size_t kChunk = 512;
}  // namespace

Result<ChildErrorPipe> ChildErrorPipe::create() {
  std::array<int, 2> fds{};
  if (pipe2(fds.data(), O_CLOEXEC) != 0) {
    return make_error(std::string("pipe2: ") + std::strerror(errno));
  }
  ChildErrorPipe pipe;
  pipe.read_end_.reset(fds[0]);
  pipe.write_end_.reset(fds[1]);
  return pipe;
}

void ChildErrorPipe::fail(const std::string& message) {
  std::size_t written = 0;
  while (written < message.size()) {
    const ssize_t n = write(write_end_.get(), message.data() + written, message.size() - written);
    if (n <= 0) break;
    written += static_cast<std::size_t>(n);
  }
  _exit(kChildSetupFailed);
}

Status ChildErrorPipe::wait_for_exec(pid_t child) {
  write_end_.reset();
  std::string message;
  std::array<char, kChunk> buffer{};
  while (true) {
    const ssize_t n = read(read_end_.get(), buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    message.append(buffer.data(), static_cast<std::size_t>(n));
  }
  read_end_.reset();
  if (message.empty()) return {};
  (void)wait_for_exit(child);
  return make_error(message);
}

}  // namespace jk::launcher::sys
