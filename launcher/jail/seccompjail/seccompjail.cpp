#include "launcher/jail/seccompjail/seccompjail.h"

#include <signal.h>
#include <unistd.h>

#include <array>
#include <string>

#include "launcher/jail/keeper.h"
#include "launcher/jail/seccompjail/filter.h"
#include "launcher/jail/seccompjail/handover.h"
#include "launcher/sys/lockdown.h"
#include "launcher/sys/process.h"
#include "launcher/sys/seccomp_notify.h"
#include "launcher/sys/signals.h"

namespace jk::launcher::jail {
namespace {

[[noreturn]] void child_fail(Handover& handover, const std::string& message) {
  handover.send_error(message);  // the parent reports it (start_seccompjail's error)
  _exit(kSeccompjailSetupFailed);
}

// Everything the agent child does between fork and exec, in order. It is forked by the keeper,
// which is not dumpable: the child makes itself dumpable so the launcher can take the listener
// (after exec the kernel decides again).
[[noreturn]] void run_child(const SeccompjailOptions& options, const AgentCommand& command,
                            Handover& handover, pid_t keeper) {
  auto step = sys::die_with_parent(keeper);
  if (step.ok()) step = sys::set_dumpable(true);
  if (step.ok()) step = sys::set_no_new_privs();
  if (!step.ok()) child_fail(handover, "seccompjail: " + step.error().message);
  auto listener = sys::install_notify_filter(build_seccompjail_filter());
  if (!listener.ok()) child_fail(handover, "seccompjail: " + listener.error().message);
  auto taken = handover.offer_listener(listener->get());
  if (!taken.ok()) child_fail(handover, "seccompjail: " + taken.error().message);
  listener->reset();
  step = options.child_lockdown();
  if (!step.ok()) child_fail(handover, "seccompjail: " + step.error().message);
  child_fail(handover, "seccompjail: " + sys::exec_command(command.argv, command.env).message);
}

Result<JailChild> parent_side(pid_t pid, Handover& handover) {
  JailChild child;
  child.pid = pid;
  JK_TRY(child.pidfd, sys::open_pidfd(pid));
  JK_TRY(child.seccomp_listener, handover.take_listener());
  // From here on the agent (same uid) must not be able to ptrace us or pidfd_getfd our fds.
  JK_TRY_STATUS(sys::set_dumpable(false));
  JK_TRY_STATUS(handover.wait_for_exec());
  return child;
}

}  // namespace

Result<JailChild> start_seccompjail(const SeccompjailOptions& options,
                                    const AgentCommand& command) {
  if (!options.child_lockdown) return make_error("seccompjail: no lockdown step (internal error)");
  if (command.argv.empty()) return make_error("seccompjail: empty command");
  JK_TRY(auto handover, Handover::create());
  const pid_t launcher = ::getpid();
  auto forked = sys::fork_process();  // the keeper; it forks the agent child
  if (!forked.ok()) return forked.error().wrap("seccompjail");
  const pid_t pid = *forked;
  if (pid == 0) {
    handover.in_child();
    const KeeperChannel channel{[&](const std::string& m) { child_fail(handover, m); },
                                [&] { handover.forget(); }};
    run_as_keeper(launcher, channel,
                  [&](pid_t keeper) { run_child(options, command, handover, keeper); });
  }
  handover.in_parent();
  auto child = parent_side(pid, handover);
  if (!child.ok()) {
    sys::kill_and_reap(pid);
    return child.error().wrap("seccompjail");
  }
  return child;
}

}  // namespace jk::launcher::jail
