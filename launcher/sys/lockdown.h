#pragma once
// lockdown(): the last step in every jail child before exec. After it the process holds no
// capability (effective, permitted, inheritable, ambient; the bounding set too where
// CAP_SETPCAP allows emptying it — without it, no_new_privs makes it unusable), has
// no_new_privs, and runs
// under a seccomp filter that refuses the syscalls a jailed agent could use to leave its jail or
// attack the kernel (namespaces, mounts, BPF, io_uring, ptrace, keyrings, module loading...).
// Async-signal-safe enough for a forked child of a single-threaded parent (no threads yet).
#include "common/result.h"
#include "launcher/sys/seccomp_filter.h"

namespace jk::launcher::sys {

struct LockdownOptions {
  // false only in tests that check the seccomp part in a process that must keep its
  // capabilities to prove the filter (not the missing privilege) refuses.
  bool drop_capabilities = true;
  // Which sockets the agent may create (seccomp_filter.h): landjail passes kTcpOnly.
  SocketPolicy sockets = SocketPolicy::kTcpUdp;
};

// PR_SET_NO_NEW_PRIVS (also needed before Landlock's restrict_self).
Status set_no_new_privs();
// PR_GET_NO_NEW_PRIVS.
Result<bool> no_new_privs();
// sigprocmask(SIG_SETMASK, {}). The launcher blocks the signals it forwards before it forks the
// jail child (so none is lost while the agent starts); every jail must give the agent an empty
// mask right before exec.
Status unblock_all_signals();

// The launcher itself once the jail stands: drops every capability and sets no_new_privs, so
// that whoever took over the proxy (it parses hostile bytes) holds no more than the agent. Must
// run while the process has one thread (capset changes the calling thread only).
Status shed_privileges();

// Drops every capability, applies no_new_privs and installs the deny-list filter. An error
// names the step that failed; the caller must not exec the agent then.
Status lockdown(const LockdownOptions& options);

}  // namespace jk::launcher::sys
