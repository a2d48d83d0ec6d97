#pragma once
// seccompjail: the jail for hosts with neither namespaces nor Landlock (EKS Fargate). Needs no
// capability, no user namespace, only seccomp user notification (Linux >= 5.9 for ADDFD).
//
// start_seccompjail forks the agent child, which sets no_new_privs, installs the seccompjail
// filter (launcher/sys/seccompjail_filter.h) with a notification listener, tells the parent the
// listener's descriptor number, waits until the parent has taken it (pidfd_getfd: the child
// cannot use sendmsg/SCM_RIGHTS any more, its own filter would route that call to a listener
// nobody reads yet), then runs `child_lockdown` (sys::lockdown), PR_SET_PDEATHSIG and execs.
// The parent makes itself non-dumpable (the agent, same uid, cannot ptrace it, read its memory
// or steal its descriptors) and returns the child with `seccomp_listener` set; the supervisor
// then runs a Broker (seccompjail_broker.h) on that listener.
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
Status seccompjail_available();

}  // namespace jk::launcher::jail
