#pragma once
// Namespaces and mounts for the nsjail: a child cloned into new namespaces, a trial unshare(),
// a private mount tree and a fresh /proc. `what` names the step in errors (the caller adds
// the hint that says how to allow it).
#include <sys/types.h>

#include <string_view>

#include "common/result.h"

namespace jk::launcher::sys {

// fork() into the namespaces in `clone_flags` (CLONE_NEW*, plus SIGCHLD): a raw clone, so the
// child runs on a copy of this stack, like fork. 0 in the child, its pid in the parent.
Result<pid_t> clone_into_namespaces(unsigned long clone_flags, std::string_view what);
// unshare(flags) for the calling process.
Status unshare_namespaces(int flags, std::string_view what);

// mount --make-rprivate /: nothing mounted from here on propagates out of this mount namespace.
Status make_mounts_private();
// A fresh procfs on /proc (nosuid, nodev, noexec), showing this pid namespace.
Status mount_fresh_proc();

}  // namespace jk::launcher::sys
