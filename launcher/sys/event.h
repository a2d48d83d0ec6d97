#pragma once
// Waiting on descriptors: an eventfd that wakes a poll loop (to stop a thread), and poll(2)
// retried on EINTR.
#include <poll.h>

#include <span>

#include "common/result.h"
#include "launcher/sys/unique_fd.h"

namespace jk::launcher::sys {

// A non-blocking, close-on-exec eventfd.
Result<UniqueFd> make_event();
// Makes `fd` (an eventfd) readable; nothing to report if it cannot.
void signal_event(int fd);

// poll(fds, timeout_ms) retried on EINTR (with the same timeout): the number of ready entries.
Result<int> poll_fds(std::span<pollfd> fds, int timeout_ms);

}  // namespace jk::launcher::sys
