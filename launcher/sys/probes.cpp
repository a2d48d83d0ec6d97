#include "launcher/sys/probes.h"

#include <linux/netlink.h>
#include <sched.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <sstream>

#include "launcher/sys/errno_error.h"
#include "launcher/sys/process.h"
#include "launcher/sys/unique_fd.h"

namespace jk::launcher::sys {
namespace {

constexpr std::string_view kSeccompKey = "Seccomp:";
constexpr int kErrnoBase = 1;  // the child exits with errno (never 0 on failure)

std::optional<long> read_long_file(const char* path) {
  std::ifstream in(path);
  long value = 0;
  if (!(in >> value)) return std::nullopt;
  return value;
}

// Forks a child that tries unshare(CLONE_NEWUSER); its exit status is 0 or the errno.
int try_unshare_user_namespace() {
  const pid_t pid = fork();
  if (pid < 0) return errno;
  if (pid == 0) _exit(unshare(CLONE_NEWUSER) == 0 ? 0 : (errno > 0 ? errno : kErrnoBase));
  auto status = wait_for_exit(pid);
  if (!status.ok() || !WIFEXITED(*status)) return ECHILD;
  return WEXITSTATUS(*status);
}

}  // namespace

UserNamespaceProbe probe_user_namespaces() {
  UserNamespaceProbe probe;
  probe.max_user_namespaces = read_long_file("/proc/sys/user/max_user_namespaces");
  if (probe.max_user_namespaces && *probe.max_user_namespaces == 0) {
    probe.reason = "user.max_user_namespaces is 0 (sysctl -w user.max_user_namespaces=N)";
    return probe;
  }
  const int error = try_unshare_user_namespace();
  probe.can_create = error == 0;
  if (error != 0) {
    probe.reason = std::string("unshare(CLONE_NEWUSER): ") + std::strerror(error) +
                   " (blocked by the seccomp profile, an LSM, or nesting limits)";
  }
  return probe;
}

std::string_view seccomp_mode_name(SeccompMode mode) {
  switch (mode) {
    case SeccompMode::kDisabled:
      return "disabled";
    case SeccompMode::kStrict:
      return "strict";
    case SeccompMode::kFilter:
      return "filter";
  }
  return "unknown";
}

Result<SeccompMode> parse_seccomp_mode(std::string_view status_text) {
  std::istringstream lines{std::string(status_text)};
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(kSeccompKey, 0) != 0) continue;
    const auto start = line.find_first_not_of(" \t", kSeccompKey.size());
    int value = -1;
    if (start != std::string::npos) {
      std::from_chars(line.data() + start, line.data() + line.size(), value);
    }
    if (value < 0 || value > static_cast<int>(SeccompMode::kFilter)) {
      return make_error("unexpected seccomp line: " + line);
    }
    return static_cast<SeccompMode>(value);
  }
  return make_error("no Seccomp: line (kernel without CONFIG_SECCOMP?)");
}

Result<SeccompMode> own_seccomp_mode() {
  std::ifstream in("/proc/self/status");
  if (!in) return make_error("cannot read /proc/self/status");
  std::stringstream text;
  text << in.rdbuf();
  return parse_seccomp_mode(text.str());
}

std::string kernel_release() {
  utsname u{};
  return ::uname(&u) == 0 ? std::string(u.release) : std::string("unknown");
}

Status probe_netfilter_netlink() {
  UniqueFd fd(socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_NETFILTER));
  if (!fd) return errno_error("socket(NETLINK_NETFILTER)");
  return {};
}

}  // namespace jk::launcher::sys
