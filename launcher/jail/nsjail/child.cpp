#include "launcher/jail/nsjail/child.h"

#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

#include "launcher/jail/keeper.h"
#include "launcher/jail/nsjail/handover.h"
#include "launcher/jail/nsjail/proc_view.h"
#include "launcher/net/jail_network.h"
#include "launcher/sys/lockdown.h"
#include "launcher/sys/namespaces.h"
#include "launcher/sys/process.h"
#include "launcher/sys/signals.h"
#include "launcher/sys/socket.h"
#include "launcher/sys/text_file.h"

namespace jk::launcher::jail {
namespace {

// The DNS stub's socket: one socket for both families ([::]:port, IPv4 as mapped addresses),
// so DNS to an IPv6 resolver works too; IPv4 only where the jail has no IPv6.
Result<sys::UniqueFd> dns_socket(std::uint16_t port) {
  auto fd = sys::open_socket(AF_INET6, SOCK_DGRAM);
  auto any = sys::parse_endpoint("::", port);
  if (fd.ok() && any.ok() &&
      sys::set_socket_option(fd->get(), IPPROTO_IPV6, IPV6_V6ONLY, 0, "IPV6_V6ONLY").ok() &&
      sys::bind_socket(fd->get(), *any).ok()) {
    return fd;
  }
  return sys::loopback_socket(SOCK_DGRAM, port);
}

// A private mount namespace, and a /proc that shows the jail's own pid namespace only where
// that reveals nothing the container hid (proc_view.h); otherwise the inherited /proc stays,
// masks included (it shows the agent as /proc/self too). In a user namespace the kernel refuses
// a fresh /proc under masks anyway (EPERM); without one it would not.
Status prepare_mounts() {
  JK_TRY_STATUS(sys::make_mounts_private());
  auto mountinfo = sys::read_text_file("/proc/self/mountinfo");
  if (!mountinfo.ok()) return mountinfo.error().wrap("deciding on a fresh /proc");
  if (fresh_proc_view(*mountinfo).fresh_allowed) {
    (void)sys::mount_fresh_proc();  // else the inherited /proc stays
  }
  return {};
}

// Network, then the two sockets handed to the launcher (the jail keeps no copy).
Status build_and_hand_over(const NsjailOptions& options, int handover_fd) {
  JK_TRY_STATUS(net::build_jail_network({options.relay_port, options.dns_port}));
  JailSockets sockets;
  JK_TRY(sockets.tcp_listener, sys::loopback_socket(SOCK_STREAM, options.relay_port));
  JK_TRY(sockets.dns_socket, dns_socket(options.dns_port));
  return send_sockets(handover_fd, sockets);
}

Status set_up_jail(const NsjailOptions& options, int handover_fd) {
  JK_TRY_STATUS(sys::set_parent_death_signal(SIGKILL));
  // getppid() is 0 in a new pid namespace; the launcher's "go" proves it is still alive.
  JK_TRY_STATUS(wait_for_go(handover_fd));
  // init is a copy of the launcher's memory (the CA key included) and stays in the jail as
  // pid 1: non-dumpable, the agent (no CAP_SYS_PTRACE) cannot open /proc/1/mem, environ, fd/,
  // ptrace or process_vm_readv it. Only after "go": the parent had to write /proc/<init>/uid_map.
  JK_TRY_STATUS(sys::set_dumpable(false));
  JK_TRY_STATUS(prepare_mounts());
  return build_and_hand_over(options, handover_fd);
}

[[noreturn]] void exec_agent(const AgentCommand& command, sys::ChildErrorPipe& exec_pipe) {
  auto step = sys::die_with_parent(1);  // init is pid 1
  if (step.ok()) step = sys::unblock_all_signals();
  if (!step.ok()) exec_pipe.fail("nsjail: " + step.error().message);
  exec_pipe.fail("nsjail: " + sys::exec_command(command.argv, command.env).message);
}

}  // namespace

void run_nsjail_child(NsjailChildContext& context) {
  context.exec_pipe->in_child();
  const sigset_t blocked = keeper_signals();
  sys::block_signals(blocked);
  if (const Status built = set_up_jail(*context.options, context.handover_fd); !built) {
    (void)send_failure(context.handover_fd, "nsjail: " + built.error().message);
    ::_exit(sys::kChildSetupFailed);
  }
  sys::UniqueFd(context.handover_fd).reset();  // the jail keeps no way back to the launcher
  if (const Status locked = sys::lockdown(sys::LockdownOptions{}); !locked) {
    context.exec_pipe->fail("nsjail: " + locked.error().message);
  }
  // lockdown() may reset the signal mask (it prepares for exec); init must keep SIGCHLD and the
  // relayed signals blocked or, as pid 1 with default actions, it would never see them.
  sys::block_signals(blocked);
  const auto agent = sys::fork_process();
  if (!agent.ok()) context.exec_pipe->fail("nsjail: agent: " + agent.error().message);
  if (*agent == 0) exec_agent(*context.command, *context.exec_pipe);
  *context.exec_pipe = sys::ChildErrorPipe();  // init keeps no write end: exec decides
  run_keeper(*agent, Leftovers::kLeftToTheKernel);
}

}  // namespace jk::launcher::jail
