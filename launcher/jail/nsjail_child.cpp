#include "launcher/jail/nsjail_child.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "launcher/jail/nsjail_handover.h"
#include "launcher/jail/keeper.h"
#include "launcher/jail/proc_view.h"
#include "launcher/net/jail_network.h"
#include "launcher/sys/lockdown.h"
#include "launcher/sys/process.h"
#include "launcher/sys/text_file.h"

namespace jk::launcher::jail {
namespace {

Error errno_error(const std::string& what) {
  return make_error(what + ": " + std::strerror(errno));
}

Result<sys::UniqueFd> loopback_socket(int type, std::uint16_t port) {
  const char* kind = type == SOCK_STREAM ? "tcp" : "udp";
  const std::string where = std::string(kind) + " 127.0.0.1:" + std::to_string(port);
  sys::UniqueFd fd(::socket(AF_INET, type | SOCK_CLOEXEC, 0));
  if (!fd) return errno_error("socket(" + where + ")");
  sockaddr_in local{};
  local.sin_family = AF_INET;
  local.sin_port = htons(port);
  local.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(fd.get(), reinterpret_cast<const sockaddr*>(&local), sizeof(local)) != 0) {  // NOLINT
    return errno_error("bind(" + where + ")");
  }
  if (type == SOCK_STREAM && ::listen(fd.get(), SOMAXCONN) != 0) {
    return errno_error("listen(" + where + ")");
  }
  return fd;
}

// The DNS stub's socket: one socket for both families ([::]:port, IPv4 as mapped addresses),
// so DNS to an IPv6 resolver works too; IPv4 only where the jail has no IPv6.
Result<sys::UniqueFd> dns_socket(std::uint16_t port) {
  sys::UniqueFd fd(::socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  const int dual_stack = 0;
  sockaddr_in6 any{};
  any.sin6_family = AF_INET6;
  any.sin6_port = htons(port);
  any.sin6_addr = in6addr_any;
  if (fd &&
      ::setsockopt(fd.get(), IPPROTO_IPV6, IPV6_V6ONLY, &dual_stack, sizeof(dual_stack)) == 0 &&
      ::bind(fd.get(), reinterpret_cast<const sockaddr*>(&any), sizeof(any)) == 0) {  // NOLINT
    return fd;
  }
  return loopback_socket(SOCK_DGRAM, port);
}

// A private mount namespace, and a /proc that shows the jail's own pid namespace only where
// that reveals nothing the container hid (proc_view.h); otherwise the inherited /proc stays,
// masks included (it shows the agent as /proc/self too). In a user namespace the kernel refuses
// a fresh /proc under masks anyway (EPERM); without one it would not.
Status prepare_mounts() {
  if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) {
    return errno_error("make / private");
  }
  auto mountinfo = sys::read_text_file("/proc/self/mountinfo");
  if (!mountinfo.ok()) return mountinfo.error().wrap("deciding on a fresh /proc");
  if (fresh_proc_view(*mountinfo).fresh_allowed) {
    ::mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr);
  }
  return {};
}

// Network, then the two sockets handed to the launcher (the jail keeps no copy).
Status build_and_hand_over(const NsjailOptions& options, int handover_fd) {
  JK_TRY_STATUS(net::build_jail_network({options.relay_port, options.dns_port}));
  JailSockets sockets;
  JK_TRY(sockets.tcp_listener, loopback_socket(SOCK_STREAM, options.relay_port));
  JK_TRY(sockets.dns_socket, dns_socket(options.dns_port));
  return send_sockets(handover_fd, sockets);
}

Status set_up_jail(const NsjailOptions& options, int handover_fd) {
  if (::prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0) return errno_error("PR_SET_PDEATHSIG");
  // getppid() is 0 in a new pid namespace; the launcher's "go" proves it is still alive.
  JK_TRY_STATUS(wait_for_go(handover_fd));
  // init is a copy of the launcher's memory (the CA key included) and stays in the jail as
  // pid 1: non-dumpable, the agent (no CAP_SYS_PTRACE) cannot open /proc/1/mem, environ, fd/,
  // ptrace or process_vm_readv it. Only after "go": the parent had to write /proc/<init>/uid_map.
  if (::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) return errno_error("PR_SET_DUMPABLE");
  JK_TRY_STATUS(prepare_mounts());
  return build_and_hand_over(options, handover_fd);
}

[[noreturn]] void exec_agent(const AgentCommand& command, sys::ChildErrorPipe& exec_pipe) {
  auto step = sys::die_with_parent(1);  // init is pid 1
  sigset_t none;
  ::sigemptyset(&none);
  if (step.ok() && ::sigprocmask(SIG_SETMASK, &none, nullptr) != 0) {
    step = errno_error("sigprocmask");
  }
  if (!step.ok()) exec_pipe.fail("nsjail: " + step.error().message);
  exec_pipe.fail("nsjail: " + sys::exec_command(command.argv, command.env).message);
}

}  // namespace

void run_nsjail_child(NsjailChildContext& context) {
  context.exec_pipe->in_child();
  const sigset_t blocked = keeper_signals();
  ::sigprocmask(SIG_BLOCK, &blocked, nullptr);
  if (const Status built = set_up_jail(*context.options, context.handover_fd); !built) {
    (void)send_failure(context.handover_fd, "nsjail: " + built.error().message);
    ::_exit(sys::kChildSetupFailed);
  }
  ::close(context.handover_fd);
  if (const Status locked = sys::lockdown(sys::LockdownOptions{}); !locked) {
    context.exec_pipe->fail("nsjail: " + locked.error().message);
  }
  // lockdown() may reset the signal mask (it prepares for exec); init must keep SIGCHLD and the
  // relayed signals blocked or, as pid 1 with default actions, it would never see them.
  ::sigprocmask(SIG_BLOCK, &blocked, nullptr);
  const pid_t agent = ::fork();
  if (agent < 0) context.exec_pipe->fail(errno_error("nsjail: fork agent").message);
  if (agent == 0) exec_agent(*context.command, *context.exec_pipe);
  *context.exec_pipe = sys::ChildErrorPipe();  // init keeps no write end: exec decides
  run_keeper(agent, Leftovers::kLeftToTheKernel);
}

}  // namespace jk::launcher::jail
