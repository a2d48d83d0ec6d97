#pragma once
// The seccomp deny-list every jailed agent runs under (see lockdown.h). The program is built as
// data so tests can inspect it; install_seccomp_filter() loads it (needs no_new_privs or
// CAP_SYS_ADMIN).
#include <linux/filter.h>

#include <vector>

#include "common/result.h"
#include "launcher/sys/seccomp_arch.h"

namespace jk::launcher::sys {

using BpfProgram = std::vector<sock_filter>;

// Which sockets a jailed agent may create: a default-deny allowlist of families x types x
// protocols, the same in every jail except for what the jail itself can confine.
enum class SocketPolicy {
  // nsjail and seccompjail: AF_UNIX (any type), AF_NETLINK with NETLINK_ROUTE, and in AF_INET/
  // AF_INET6 only TCP (SOCK_STREAM, protocol 0 or IPPROTO_TCP) and UDP (SOCK_DGRAM, 0 or
  // IPPROTO_UDP): the two protocols each jail redirects or answers.
  kTcpUdp,
  // landjail: Landlock confines TCP connects only, so AF_INET/AF_INET6 allow TCP alone, and
  // listen() is refused (Landlock cannot confine the ephemeral port a listen() on an unbound
  // socket takes, and the seccomp filter cannot tell an AF_UNIX listener from a TCP one).
  kTcpOnly,
};

// For the architecture this binary runs as (seccomp_arch.h), or the one named: another
// architecture in seccomp_data.arch kills the process (on x86_64: i386, and x32 syscall numbers;
// on aarch64: the 32-bit compat ABI, AUDIT_ARCH_ARM). Refused with
// EPERM: unshare, setns, mount family, pivot_root, chroot, ptrace, bpf, perf_event_open,
// keyrings, module loading, kexec, reboot, swap, userfaultfd, open_by_handle_at, and clone with
// any CLONE_NEW* flag. Refused with ENOSYS (so libcs fall back): clone3 and io_uring_*.
// Sockets (EACCES): every family but AF_UNIX, AF_INET, AF_INET6 and AF_NETLINK(NETLINK_ROUTE)
// (so AF_PACKET, AF_VSOCK, AF_XDP, AF_ALG, Bluetooth, CAN, TIPC, RDS, KCM...), and in AF_INET/
// AF_INET6 every type and protocol the policy does not name (raw, ICMP ping, MPTCP, SCTP,
// UDP-Lite, SOCK_SEQPACKET...); socketpair() outside AF_UNIX.
BpfProgram build_deny_filter(SocketPolicy sockets = SocketPolicy::kTcpUdp);
BpfProgram build_deny_filter(SocketPolicy sockets, const SeccompArch& arch);

Status install_seccomp_filter(const BpfProgram& program);

}  // namespace jk::launcher::sys
