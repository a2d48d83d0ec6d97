#include "launcher/sys/lockdown.h"

#include <signal.h>
#include <sys/prctl.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "launcher/sys/capabilities.h"
#include "launcher/sys/errno_error.h"
#include "launcher/sys/seccomp_filter.h"

namespace jk::launcher::sys {

Status set_no_new_privs() {
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
    return errno_error("PR_SET_NO_NEW_PRIVS");
  }
  return {};
}

Result<bool> no_new_privs() {
  const int value = prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0);
  if (value < 0) return errno_error("PR_GET_NO_NEW_PRIVS");
  return value == 1;
}

Status shed_privileges() {
  JK_TRY_STATUS(drop_all_capabilities());
  return set_no_new_privs();
}

Status unblock_all_signals() {
  sigset_t none;
  sigemptyset(&none);
  if (sigprocmask(SIG_SETMASK, &none, nullptr) != 0) {
    return errno_error("sigprocmask");
  }
  return {};
}

Status lockdown(const LockdownOptions& options) {
  if (options.drop_capabilities) {
    auto dropped = drop_all_capabilities();
    if (!dropped.ok()) return dropped.error().wrap("lockdown: dropping capabilities");
  }
  auto nnp = set_no_new_privs();
  if (!nnp.ok()) return nnp.error().wrap("lockdown");
  auto filtered = install_seccomp_filter(build_deny_filter(options.sockets));
  if (!filtered.ok()) return filtered.error().wrap("lockdown");
  return {};
}

}  // namespace jk::launcher::sys
