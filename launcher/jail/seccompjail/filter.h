#pragma once
// The seccompjail filter: the syscalls that carry a network address go to the launcher as seccomp
// user notifications (the launcher decides and acts, see launcher/jail/seccompjail/broker.h);
// raw/packet sockets and netlink other than NETLINK_ROUTE are refused; io_uring is refused with
// ENOSYS (its submissions would bypass seccomp). Built as data so tests can run it; installed
// with sys::install_notify_filter (seccomp_notify.h).
#include <linux/filter.h>

#include <vector>

#include "launcher/sys/seccomp_arch.h"

namespace jk::launcher::jail {

// For the architecture this binary runs as (sys/seccomp_arch.h), or the one named. Another
// architecture in seccomp_data.arch (x86_64: i386 via int 0x80; aarch64: the 32-bit compat ABI,
// AUDIT_ARCH_ARM) and, on x86_64, x32 syscall numbers: EPERM.
//   connect, sendmsg, sendmmsg            -> user notification
//   sendto with a non-NULL address        -> user notification (NULL: allowed, nothing to race)
//   socket(AF_PACKET), SOCK_RAW/SOCK_PACKET in any family, AF_NETLINK except NETLINK_ROUTE
//                                         -> EACCES (NETLINK_ROUTE stays: getaddrinfo and
//                                            getifaddrs read it; changes need CAP_NET_ADMIN,
//                                            which the agent never has)
//   io_uring_setup                        -> ENOSYS
//   everything else                       -> allowed (lockdown()'s own filter restricts more)
std::vector<sock_filter> build_seccompjail_filter();
std::vector<sock_filter> build_seccompjail_filter(const sys::SeccompArch& arch);

}  // namespace jk::launcher::jail
