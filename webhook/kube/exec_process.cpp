#include "webhook/kube/exec_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <map>

extern char** environ;  // NOLINT(readability-redundant-declaration)

namespace jk::kube {
namespace {

constexpr std::string_view kNotFound = "not found";
constexpr std::size_t kChunk = 4096;

std::string errno_text(int err) { return std::strerror(err); }

// The inherited environment with spec.env set on top, as "NAME=value" strings.
std::vector<std::string> environment(const ProcessSpec& spec) {
  std::map<std::string, std::string> vars;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    const std::string entry(*e);
    const auto eq = entry.find('=');
    if (eq != std::string::npos) vars[entry.substr(0, eq)] = entry.substr(eq + 1);
  }
  for (const auto& [name, value] : spec.env) vars[name] = value;
  std::vector<std::string> out;
  out.reserve(vars.size());
  for (const auto& [name, value] : vars) out.push_back(name + "=" + value);
  return out;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  out.reserve(strings.size() + 1);
  for (auto& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

// RAII for the file actions and the read end of the pipe.
struct SpawnActions {
  posix_spawn_file_actions_t actions{};
  SpawnActions() { posix_spawn_file_actions_init(&actions); }
  ~SpawnActions() { posix_spawn_file_actions_destroy(&actions); }
  SpawnActions(const SpawnActions&) = delete;
  SpawnActions& operator=(const SpawnActions&) = delete;
};

struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

Result<pid_t> spawn(const ProcessSpec& spec, int stdout_fd, int read_fd) {
  SpawnActions fa;
  posix_spawn_file_actions_adddup2(&fa.actions, stdout_fd, STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&fa.actions, read_fd);
  // Nothing else of ours (API connections, the server's listeners) reaches the plugin.
  posix_spawn_file_actions_addclosefrom_np(&fa.actions, STDERR_FILENO + 1);
  if (!spec.inherit_stdin) {
    posix_spawn_file_actions_addopen(&fa.actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  }
  std::vector<std::string> argv_strings{spec.command};
  argv_strings.insert(argv_strings.end(), spec.args.begin(), spec.args.end());
  std::vector<std::string> env_strings = environment(spec);
  auto argv = pointers(argv_strings);
  auto envp = pointers(env_strings);
  pid_t pid = -1;
  const int err =
      posix_spawnp(&pid, spec.command.c_str(), &fa.actions, nullptr, argv.data(), envp.data());
  if (err == ENOENT) return make_error(std::string(kNotFound));
  if (err != 0) return make_error("cannot run: " + errno_text(err));
  return pid;
}

ProcessResult reap(pid_t pid, std::string out) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  ProcessResult result;
  result.out = std::move(out);
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) result.term_signal = WTERMSIG(status);
  return result;
}

Error kill_with(pid_t pid, const std::string& why) {
  ::kill(pid, SIGKILL);
  reap(pid, "");
  return make_error(why);
}

// Reads stdout until EOF, the deadline or the size limit.
Result<ProcessResult> collect(const ProcessSpec& spec, pid_t pid, int fd) {
  using Clock = std::chrono::steady_clock;
  const bool limited = spec.timeout.count() > 0;
  const auto deadline = Clock::now() + spec.timeout;
  std::string out;
  std::array<char, kChunk> buffer{};
  for (;;) {
    int wait_ms = -1;
    if (limited) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      if (left.count() <= 0) {
        return kill_with(pid, "no answer within " + std::to_string(spec.timeout.count()) + " ms");
      }
      wait_ms = static_cast<int>(left.count());
    }
    pollfd p{fd, POLLIN, 0};
    const int ready = ::poll(&p, 1, wait_ms);
    if (ready < 0 && errno == EINTR) continue;
    if (ready == 0) continue;  // the deadline check above ends it
    const ssize_t n = ::read(fd, buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return reap(pid, std::move(out));
    out.append(buffer.data(), static_cast<std::size_t>(n));
    if (out.size() > spec.max_output) {
      return kill_with(pid, "printed more than " + std::to_string(spec.max_output) + " bytes");
    }
  }
}

}  // namespace

Result<ProcessResult> run_process(const ProcessSpec& spec) {
  std::array<int, 2> fds{-1, -1};
  if (::pipe2(fds.data(), O_CLOEXEC) != 0) return make_error("pipe: " + errno_text(errno));
  Fd read_end{fds[0]};
  Fd write_end{fds[1]};
  JK_TRY(const pid_t pid, spawn(spec, write_end.fd, read_end.fd));
  ::close(write_end.fd);
  write_end.fd = -1;
  return collect(spec, pid, read_end.fd);
}

bool is_not_found(const Error& error) { return error.message == kNotFound; }

}  // namespace jk::kube
