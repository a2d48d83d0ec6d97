#include "launcher/sys/unique_fd.h"

#include <unistd.h>

namespace jk::launcher::sys {

void UniqueFd::reset(int fd) {
  const int old = std::exchange(fd_, fd);
  // close() always releases the descriptor on Linux, even when it reports EINTR: never retry.
  if (old >= 0) ::close(old);
}

}  // namespace jk::launcher::sys
