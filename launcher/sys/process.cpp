#include "launcher/sys/process.h"

#include <dirent.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <string_view>
#include <utility>

#include "launcher/sys/errno_error.h"
#include "launcher/sys/text_file.h"

namespace jk::launcher::sys {
namespace {

constexpr std::string_view kDefaultPath = "/usr/local/bin:/usr/bin:/bin";
constexpr std::string_view kPathPrefix = "PATH=";

std::string_view path_from(const std::vector<std::string>& env) {
  for (const auto& entry : env) {
    if (std::string_view(entry).substr(0, kPathPrefix.size()) == kPathPrefix) {
      return std::string_view(entry).substr(kPathPrefix.size());
    }
  }
  return kDefaultPath;
}

std::vector<char*> c_strings(const std::vector<std::string>& strings) {
  std::vector<char*> out;
  out.reserve(strings.size() + 1);
  for (const auto& s : strings) out.push_back(const_cast<char*>(s.c_str()));  // NOLINT: execve
  out.push_back(nullptr);
  return out;
}

// The "Tgid:" line of /proc/<tid>/status.
Result<pid_t> thread_group_of(pid_t tid) {
  const std::string path = "/proc/" + std::to_string(tid) + "/status";
  JK_TRY(const std::string status, read_text_file(path.c_str()));
  constexpr std::string_view kKey = "\nTgid:";
  const auto at = status.find(kKey);
  if (at == std::string::npos) return make_error(path + ": no Tgid");
  std::string_view rest = std::string_view(status).substr(at + kKey.size());
  rest.remove_prefix(std::min(rest.find_first_not_of(" \t"), rest.size()));
  pid_t tgid = 0;
  const auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), tgid);
  if (ec != std::errc() || end == rest.data()) return make_error(path + ": no Tgid");
  return tgid;
}

}  // namespace

int exit_code_from_wait_status(int wait_status) {
  if (WIFEXITED(wait_status)) return WEXITSTATUS(wait_status);
  if (WIFSIGNALED(wait_status)) return kSignalExitBase + WTERMSIG(wait_status);
  return kSignalExitBase;
}

Result<UniqueFd> open_pidfd(pid_t pid) {
  const long fd = syscall(SYS_pidfd_open, pid, 0);
  if (fd < 0) return errno_error("pidfd_open(" + std::to_string(pid) + ")");
  return UniqueFd(static_cast<int>(fd));
}

Result<UniqueFd> open_process_of_thread(pid_t tid) {
  const long fd = syscall(SYS_pidfd_open, tid, 0);
  if (fd >= 0) return UniqueFd(static_cast<int>(fd));
  // Not a thread-group leader: EINVAL before Linux 6.9, ENOENT since (without PIDFD_THREAD).
  if (errno != EINVAL && errno != ENOENT) {
    return errno_error("pidfd_open(" + std::to_string(tid) + ")");
  }
  JK_TRY(const pid_t tgid, thread_group_of(tid));
  return open_pidfd(tgid);
}

Result<int> wait_for_exit(pid_t pid) {
  int status = 0;
  if (retry_on_eintr([&] { return waitpid(pid, &status, 0); }) < 0) {
    return errno_error("waitpid");
  }
  return status;
}

Status die_with_parent(pid_t parent) {
  JK_TRY_STATUS(set_parent_death_signal(SIGKILL));
  if (getppid() != parent) _exit(kSignalExitBase + SIGKILL);
  return {};
}

bool random_bytes(std::span<unsigned char> bytes) {
  return ::getrandom(bytes.data(), bytes.size(), 0) == static_cast<ssize_t>(bytes.size());
}

Status set_dumpable(bool dumpable) {
  if (prctl(PR_SET_DUMPABLE, dumpable ? 1 : 0, 0, 0, 0) != 0) {
    return errno_error(dumpable ? "PR_SET_DUMPABLE 1" : "PR_SET_DUMPABLE 0");
  }
  return {};
}

Status set_parent_death_signal(int signal_number) {
  if (prctl(PR_SET_PDEATHSIG, signal_number, 0, 0, 0) != 0) {
    return errno_error("PR_SET_PDEATHSIG");
  }
  return {};
}

Status become_child_subreaper() {
  if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0) return errno_error("PR_SET_CHILD_SUBREAPER");
  return {};
}

std::optional<pid_t> parent_from_stat(std::string_view stat_text) {
  const auto close = stat_text.rfind(')');
  if (close == std::string_view::npos) return std::nullopt;
  std::string_view rest = stat_text.substr(close + 1);  // " S ppid ..."
  const auto state_end = rest.find_first_not_of(' ');
  if (state_end == std::string_view::npos) return std::nullopt;
  rest.remove_prefix(state_end + 1);
  if (rest.empty() || rest.front() != ' ') return std::nullopt;
  rest.remove_prefix(1);
  pid_t ppid = 0;
  const auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), ppid);
  if (ec != std::errc() || end == rest.data()) return std::nullopt;
  return ppid;
}

Result<std::vector<pid_t>> descendants_of(pid_t ancestor) {
  DIR* proc = ::opendir("/proc");
  if (proc == nullptr) return errno_error("/proc");
  std::vector<std::pair<pid_t, pid_t>> parent_of;  // (pid, ppid)
  while (const dirent* entry = ::readdir(proc)) {
    pid_t pid = 0;
    const std::string_view name(entry->d_name);
    const auto [end, ec] = std::from_chars(name.data(), name.data() + name.size(), pid);
    if (ec != std::errc() || end != name.data() + name.size()) continue;
    const std::string path = "/proc/" + std::string(name) + "/stat";
    auto text = read_text_file(path.c_str());
    if (!text.ok()) continue;  // exited meanwhile
    if (const auto ppid = parent_from_stat(*text)) parent_of.emplace_back(pid, *ppid);
  }
  ::closedir(proc);
  std::vector<pid_t> out;
  std::vector<pid_t> frontier{ancestor};
  while (!frontier.empty()) {
    const pid_t parent = frontier.back();
    frontier.pop_back();
    for (const auto& [pid, ppid] : parent_of) {
      if (ppid == parent && pid != ancestor) {
        out.push_back(pid);
        frontier.push_back(pid);
      }
    }
  }
  return out;
}

Error exec_command(const std::vector<std::string>& argv, const std::vector<std::string>& env) {
  if (argv.empty()) return make_error("empty command");
  std::vector<char*> args = c_strings(argv);
  std::vector<char*> envp = c_strings(env);
  const std::string& name = argv[0];
  if (name.find('/') != std::string::npos) {
    execve(name.c_str(), args.data(), envp.data());
    return errno_error("exec " + name);
  }
  int first_error = ENOENT;
  std::string_view path = path_from(env);
  while (true) {
    const auto colon = path.find(':');
    std::string dir(path.substr(0, colon));
    const std::string candidate = (dir.empty() ? "." : dir) + "/" + name;
    execve(candidate.c_str(), args.data(), envp.data());
    if (errno != ENOENT && errno != ENOTDIR) first_error = errno;
    if (colon == std::string_view::npos) break;
    path.remove_prefix(colon + 1);
  }
  return errno_error("exec " + name, first_error);
}

void child_report(const std::string& message) {
  const std::string line = "jailkeeper-launch: " + message + "\n";
  [[maybe_unused]] const ssize_t n = write(STDERR_FILENO, line.data(), line.size());
}

}  // namespace jk::launcher::sys
