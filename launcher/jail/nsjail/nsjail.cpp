#include "launcher/jail/nsjail/nsjail.h"

#include <linux/capability.h>
#include <sched.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <string>

#include "common/log.h"
#include "launcher/jail/nsjail/child.h"
#include "launcher/jail/nsjail/handover.h"
#include "launcher/sys/capabilities.h"
#include "launcher/sys/file_io.h"
#include "launcher/sys/namespaces.h"
#include "launcher/sys/process.h"
#include "launcher/sys/signals.h"

namespace jk::launcher::jail {
namespace {

// Writes `content` to /proc/<pid>/<name>; on failure returns the errno (0 on success).
int write_proc_file(pid_t pid, const char* name, const std::string& content) {
  return sys::write_control_file("/proc/" + std::to_string(pid) + "/" + name, content);
}

Error map_error(pid_t pid, const char* name, int error) {
  return make_error("write /proc/" + std::to_string(pid) + "/" + name + ": " +
                    std::strerror(error));
}

// The agent keeps its identity: uid and gid map to themselves (0 -> 0 when run as root).
// Mapping uid 0 needs CAP_SETFCAP (Linux >= 5.12), which a root container with
// `capabilities.drop: [ALL]` lacks: the jail then runs unmapped. Its processes keep the
// kernel's uid 0 for every file access (the user namespace changes no file permission), but see
// themselves as the overflow uid (65534) and cannot change ids.
Status write_id_maps(pid_t child) {
  const uid_t uid = ::getuid();
  const std::string gid = std::to_string(::getgid());
  if (const int e = write_proc_file(child, "setgroups", "deny"); e != 0 && e != ENOENT) {
    return map_error(child, "setgroups", e);
  }
  const std::string uid_text = std::to_string(uid);
  if (const int e = write_proc_file(child, "uid_map", uid_text + " " + uid_text + " 1\n"); e != 0) {
    if (!(uid == 0 && e == EPERM)) return map_error(child, "uid_map", e);
    log::warn(
        "nsjail: mapping uid 0 into the user namespace needs CAP_SETFCAP; the agent runs "
        "unmapped (it sees uid 65534, file access is unchanged). Keep SETFCAP in the "
        "container's capabilities to avoid this");
  }
  if (const int e = write_proc_file(child, "gid_map", gid + " " + gid + " 1\n"); e != 0) {
    return map_error(child, "gid_map", e);
  }
  return {};
}

}  // namespace

std::string nsjail_namespace_hint(bool user_namespace) {
  const bool sys_admin = sys::has_effective_capability(CAP_SYS_ADMIN);
  const bool net_admin = sys::has_effective_capability(CAP_NET_ADMIN);
  if (!user_namespace && !(sys_admin && net_admin)) {
    return "--no-user-namespace needs CAP_SYS_ADMIN and CAP_NET_ADMIN in the launcher's effective "
           "set: run the container as root with both in securityContext.capabilities.add (a "
           "non-root container never holds capabilities)";
  }
  if (sys_admin) {
    return "the container holds CAP_SYS_ADMIN, so its seccomp profile (a Localhost or custom "
           "one) or an LSM refuses namespace creation: allow unshare/clone/mount there, or run "
           "seccompProfile Unconfined";
  }
  return "namespaces are refused here: containerd's RuntimeDefault seccomp profile allows them "
         "only with CAP_SYS_ADMIN in the container's capabilities (add SYS_ADMIN, or run "
         "seccompProfile Unconfined); also check sysctl user.max_user_namespaces > 0 and "
         "kernel.unprivileged_userns_clone=1";
}

namespace {

// fork() into new namespaces (0 in the child).
Result<pid_t> clone_jail(bool user_namespace) {
  unsigned long flags = CLONE_NEWNET | CLONE_NEWNS | CLONE_NEWPID | SIGCHLD;
  if (user_namespace) flags |= CLONE_NEWUSER;
  const std::string which = user_namespace ? "user+net+mount+pid" : "net+mount+pid";
  auto pid = sys::clone_into_namespaces(flags, "nsjail: clone(" + which + " namespaces)");
  if (!pid.ok()) {
    return make_error(pid.error().message + ": " + nsjail_namespace_hint(user_namespace));
  }
  return *pid;
}

// Kills and reaps a child that failed; returns `error`, or a generic reason when it is empty.
Error abandon(pid_t child, Error error) {
  sys::send_signal(child, SIGKILL);
  const auto status = sys::wait_for_exit(child);
  if (!error.message.empty()) return error;
  const int code = status ? sys::exit_code_from_wait_status(*status) : -1;
  return make_error("nsjail: the jail child exited (" + std::to_string(code) +
                    ") before it was ready");
}

// The parent's side between clone() and the agent's exec.
Result<JailChild> finish_start(pid_t pid, bool user_namespace, HandoverPair& pair,
                               sys::ChildErrorPipe& exec_pipe) {
  pair.child.reset();
  if (user_namespace) {
    if (const Status maps = write_id_maps(pid); !maps) {
      return abandon(pid, maps.error().wrap("nsjail: user namespace id maps"));
    }
  }
  if (const Status go = send_go(pair.parent.get()); !go) return abandon(pid, go.error());
  auto sockets = receive_sockets(pair.parent.get());
  if (!sockets) return abandon(pid, sockets.error());
  JailChild child;
  child.pid = pid;
  child.tcp_listener = std::move(sockets->tcp_listener);
  child.dns_socket = std::move(sockets->dns_socket);
  JK_TRY_STATUS(exec_pipe.wait_for_exec(pid));
  if (auto pidfd = sys::open_pidfd(pid); pidfd.ok()) child.pidfd = std::move(*pidfd);
  return child;
}

}  // namespace

bool use_user_namespace(const NsjailOptions& options, const char* sysctl_path) {
  if (!options.user_namespace) return false;
  std::ifstream file(sysctl_path);
  long max = -1;
  return !(file >> max && max == 0);
}

Result<JailChild> start_nsjail(const NsjailOptions& options, const AgentCommand& cmd) {
  if (cmd.argv.empty()) return make_error("nsjail: empty command");
  if (options.relay_port == 0 || options.dns_port == 0 || options.relay_port == options.dns_port) {
    return make_error("nsjail: relay and dns ports must be distinct and non-zero");
  }
  const bool user_namespace = use_user_namespace(options);
  if (options.user_namespace && !user_namespace) {
    log::info(
        "nsjail: user.max_user_namespaces is 0, running without a user namespace "
        "(needs CAP_SYS_ADMIN)");
  }
  JK_TRY(sys::ChildErrorPipe exec_pipe, sys::ChildErrorPipe::create());
  JK_TRY(HandoverPair pair, make_handover_pair());
  JK_TRY(const pid_t pid, clone_jail(user_namespace));
  if (pid == 0) {
    pair.parent.reset();
    NsjailChildContext context{&options, &cmd, pair.child.get(), &exec_pipe};
    run_nsjail_child(context);
  }
  return finish_start(pid, user_namespace, pair, exec_pipe);
}

}  // namespace jk::launcher::jail
