#pragma once
// The seccompjail filter: the syscalls that carry a network address go to the launcher as seccomp
// user notifications (the launcher decides and acts, see launcher/jail/seccompjail_broker.h);
// raw/packet sockets and netlink other than NETLINK_ROUTE are refused; io_uring is refused with
// ENOSYS (its submissions would bypass seccomp). Built as data so tests can run it.
#include <linux/filter.h>

#include <vector>

#include "common/result.h"
#include "launcher/sys/unique_fd.h"

namespace jk::launcher::sys {

// x86_64 only. Another architecture (i386 via int 0x80) and x32 syscall numbers: EPERM.
//   connect, sendmsg, sendmmsg            -> user notification
//   sendto with a non-NULL address        -> user notification (NULL: allowed, nothing to race)
//   socket(AF_PACKET), SOCK_RAW/SOCK_PACKET in any family, AF_NETLINK except NETLINK_ROUTE
//                                         -> EACCES (NETLINK_ROUTE stays: getaddrinfo and
//                                            getifaddrs read it; changes need CAP_NET_ADMIN,
//                                            which the agent never has)
//   io_uring_setup                        -> ENOSYS
//   everything else                       -> allowed (lockdown()'s own filter restricts more)
std::vector<sock_filter> build_seccompjail_filter();

// Installs `program` with SECCOMP_FILTER_FLAG_NEW_LISTENER and returns the listener (O_CLOEXEC).
// Needs no_new_privs (or CAP_SYS_ADMIN). Applies to the calling thread and its future children.
Result<UniqueFd> install_notify_filter(const std::vector<sock_filter>& program);

}  // namespace jk::launcher::sys
