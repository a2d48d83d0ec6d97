#pragma once
// Small socket and process operations the seccompjail broker performs on the agent's behalf.
// Each returns 0 or -errno where the result is handed back to the agent as a syscall result.
#include <sys/types.h>

#include <string>

#include "common/result.h"
#include "launcher/sys/unique_fd.h"

namespace jk::launcher::sys {

// connect(fd, raw sockaddr bytes): 0 or -errno.
int connect_raw(int fd, const std::string& address);
// O_NONBLOCK of the open file.
bool is_nonblocking(int fd);
// Sets O_NONBLOCK on `to` as it is on `from`.
Status copy_nonblocking(int from, int to);
// Copies the options an agent commonly sets before connect (TCP_NODELAY, keep-alive and its
// timers, SO_LINGER, TCP_USER_TIMEOUT) from its socket to the one that replaces it. Options the
// source socket cannot report are skipped.
void copy_tcp_options(int from, int to);
// getpeername() succeeds.
bool is_connected(int fd);
// pidfd of the process a thread id belongs to (the notification names the thread).
Result<UniqueFd> open_process_of_thread(pid_t tid);
// An eventfd for waking a poll loop.
Result<UniqueFd> make_event();
void signal_event(int fd);

}  // namespace jk::launcher::sys
