#pragma once
// The seccomp deny-list every jailed agent runs under (see lockdown.h). The program is built as
// data so tests can inspect it; install_seccomp_filter() loads it (needs no_new_privs or
// CAP_SYS_ADMIN).
#include <linux/filter.h>

#include <vector>

#include "common/result.h"

namespace jk::launcher::sys {

using BpfProgram = std::vector<sock_filter>;

// x86_64 only: another architecture (i386, x32 syscall numbers) kills the process. Refused with
// EPERM: unshare, setns, mount family, pivot_root, chroot, ptrace, bpf, perf_event_open,
// keyrings, module loading, kexec, reboot, swap, userfaultfd, open_by_handle_at, and clone with
// any CLONE_NEW* flag. Refused with ENOSYS (so libcs fall back): clone3 and io_uring_*.
// stream_sockets_only (landjail, whose Landlock rule covers TCP only): socket() in AF_INET/
// AF_INET6 of any type but SOCK_STREAM (UDP, ICMP ping, raw) and AF_PACKET fail with EACCES.
BpfProgram build_deny_filter(bool stream_sockets_only = false);

Status install_seccomp_filter(const BpfProgram& program);

}  // namespace jk::launcher::sys
