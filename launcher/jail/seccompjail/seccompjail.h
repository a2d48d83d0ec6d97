#pragma once
// seccompjail: the jail for hosts with neither namespaces nor Landlock (EKS Fargate). Needs no
// capability, no user namespace, only seccomp user notification (Linux >= 5.9 for ADDFD).
//
// start_seccompjail forks the agent child, which sets no_new_privs, installs the seccompjail
// filter (launcher/jail/seccompjail/filter.h) with a notification listener, tells the parent the
// listener's descriptor number, waits until the parent has taken it (pidfd_getfd: the child
// cannot use sendmsg/SCM_RIGHTS any more, its own filter would route that call to a listener
// nobody reads yet), then runs `child_lockdown` (sys::lockdown), PR_SET_PDEATHSIG and execs.
// The parent makes itself non-dumpable (the agent, same uid, cannot ptrace it, read its memory
// or steal its descriptors) and returns the child with `seccomp_listener` set; the supervisor
// then runs a Broker (broker.h) on that listener.
//
// What the agent sees (decisions: policy.h):
// - Every TCP connect (IPv4, IPv6, v4-mapped, loopback included) succeeds at once (also on a
//   non-blocking socket: 0, not EINPROGRESS) with a socket connected to the proxy; the proxy
//   gets the original destination. The replacing socket keeps O_NONBLOCK, FD_CLOEXEC,
//   TCP_NODELAY, keep-alive, SO_LINGER and TCP_USER_TIMEOUT; other options set before connect
//   and a bind() before connect are lost (getsockname shows the launcher's loopback address).
//   connect on a connected socket: EISCONN.
// - UDP: to port 53 (any address) the DNS stub answers; anything else EACCES (QUIC falls back
//   to TCP). Ping sockets, SCTP, vsock and other families: EACCES. io_uring: ENOSYS. i386/x32
//   syscalls: EPERM here, SIGSYS from lockdown()'s filter.
// - AF_UNIX connect/sendto: allowed by default (local IPC, not network), done by the launcher
//   with the copied path (relative paths against the agent's cwd; abstract names too);
//   SeccompjailPolicy::allow_unix = false refuses them. The peer then sees the launcher's
//   pid in SO_PEERCRED (same uid).
// - sendmsg/sendmmsg (and sendto with an address) are performed by the launcher on the agent's
//   socket from a copy: at most 4 MiB per call (stream sockets see a short write), no SIGPIPE
//   (EPIPE instead), SCM_RIGHTS descriptors passed through, SCM_CREDENTIALS fail (EPERM) unless
//   they name the launcher. read/write/send/recv without an address run untouched.
// Needs ptrace access from the launcher to the agent (same uid, kernel.yama.ptrace_scope <= 1,
// or root): pidfd_getfd and process_vm_readv depend on it.
#include <functional>

#include "common/result.h"
#include "launcher/jail/jail.h"

namespace jk::launcher::jail {

struct SeccompjailOptions {
  // The last step in the child before exec; required (fail closed when empty). The supervisor
  // passes [] { return sys::lockdown({}); }.
  std::function<Status()> child_lockdown;
};

// Fails (and leaves no child behind) when any step before exec fails; the error names it.
Result<JailChild> start_seccompjail(const SeccompjailOptions& options, const AgentCommand& command);

// Ok when this kernel and container can run seccompjail; otherwise one line naming the missing
// piece and the fix. Probes for real in a forked child (filter with listener, pidfd_getfd,
// ADDFD replacing a descriptor), so it also catches a container runtime that refuses seccomp.
// Takes a few milliseconds. The forked child allocates nothing on the success path (the filter
// is built before fork), so `doctor` may call it with threads running; errors may allocate.
Status seccompjail_available();

}  // namespace jk::launcher::jail
