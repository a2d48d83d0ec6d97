#include "launcher/sys/event.h"

#include <sys/eventfd.h>
#include <unistd.h>

#include <cstdint>

#include "launcher/sys/errno_error.h"

namespace jk::launcher::sys {

Result<UniqueFd> make_event() {
  UniqueFd fd(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
  if (!fd) return errno_error("eventfd");
  return fd;
}

void signal_event(int fd) {
  const std::uint64_t one = 1;
  [[maybe_unused]] const ssize_t n = ::write(fd, &one, sizeof(one));
}

Result<int> poll_fds(std::span<pollfd> fds, int timeout_ms) {
  const int ready = retry_on_eintr([&] { return ::poll(fds.data(), fds.size(), timeout_ms); });
  if (ready < 0) return errno_error("poll");
  return ready;
}

}  // namespace jk::launcher::sys
