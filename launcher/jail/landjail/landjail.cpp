#include "launcher/jail/landjail/landjail.h"

#include <unistd.h>

#include <string>

#include "launcher/jail/keeper.h"
#include "launcher/jail/landjail/environment.h"
#include "launcher/sys/child_error_pipe.h"
#include "launcher/sys/landlock.h"
#include "launcher/sys/lockdown.h"
#include "launcher/sys/process.h"
#include "launcher/sys/signals.h"

namespace jk::launcher::jail {
namespace {

// Everything between fork and exec; reports failures through the pipe and never returns.
[[noreturn]] void run_child(sys::ChildErrorPipe& pipe, pid_t parent, int abi,
                            const LandjailOptions& options, const std::vector<std::string>& env,
                            const AgentCommand& cmd) {
  auto step = sys::die_with_parent(parent);
  if (step.ok()) step = sys::landlock_restrict_connect(options.proxy_port, abi);
  if (step.ok()) {
    sys::LockdownOptions lockdown;
    lockdown.sockets = sys::SocketPolicy::kTcpOnly;  // Landlock confines TCP connects only
    step = sys::lockdown(lockdown);
  }
  if (step.ok()) step = sys::unblock_all_signals();
  if (!step.ok()) pipe.fail("landjail: " + step.error().message);
  pipe.fail("landjail: " + sys::exec_command(cmd.argv, env).message);
}

}  // namespace

Status landjail_available() {
  auto abi = sys::landlock_abi();
  if (!abi.ok()) return abi.error();
  if (*abi < sys::kLandlockNetAbi) {
    return make_error("Landlock ABI " + std::to_string(*abi) + " < " +
                      std::to_string(sys::kLandlockNetAbi) +
                      ": needs Linux >= 6.7 with landlock in lsm=");
  }
  return {};
}

Result<JailChild> start_landjail(const LandjailOptions& options, const AgentCommand& cmd) {
  if (cmd.argv.empty()) return make_error("landjail: empty command");
  if (options.proxy_port == 0) return make_error("landjail: no proxy port");
  JK_TRY_STATUS(landjail_available());
  JK_TRY(const int abi, sys::landlock_abi());
  JK_TRY(sys::ChildErrorPipe pipe, sys::ChildErrorPipe::create());
  // Prepared before fork: the child only runs syscalls and exec.
  const std::vector<std::string> env = with_proxy_variables(cmd.env, options.proxy_port);
  const pid_t launcher = getpid();
  auto forked = sys::fork_process();
  if (!forked.ok()) return forked.error().wrap("landjail");
  const pid_t pid = *forked;
  if (pid == 0) {
    pipe.in_child();
    const KeeperChannel channel{[&](const std::string& m) { pipe.fail(m); },
                                [&] { pipe.forget(); }};
    run_as_keeper(launcher, channel,
                  [&](pid_t keeper) { run_child(pipe, keeper, abi, options, env, cmd); });
  }
  JailChild child;
  child.pid = pid;
  JK_TRY_STATUS(pipe.wait_for_exec(pid));
  auto pidfd = sys::open_pidfd(pid);
  if (pidfd.ok()) child.pidfd = std::move(*pidfd);
  return child;
}

}  // namespace jk::launcher::jail
