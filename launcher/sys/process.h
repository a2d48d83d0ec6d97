#pragma once
// Process helpers for the launcher: pidfds, waiting, exit statuses, exec with an environment.
#include <sys/types.h>

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "launcher/sys/unique_fd.h"

namespace jk::launcher::sys {

// 128 + signal, as shells report a process killed by a signal.
inline constexpr int kSignalExitBase = 128;

// A waitpid() status as an exit code: the exit status, or 128 + the terminating signal.
int exit_code_from_wait_status(int wait_status);

// pidfd_open(pid); an error on kernels before 5.3.
Result<UniqueFd> open_pidfd(pid_t pid);

// pidfd of the process a thread id belongs to (a seccomp notification names the thread).
Result<UniqueFd> open_process_of_thread(pid_t tid);

// waitpid(pid, 0) retried on EINTR; returns the raw wait status.
Result<int> wait_for_exit(pid_t pid);

// In a forked child: asks for SIGKILL when the parent dies and checks the parent did not die
// already (then exits at once). `parent` is the launcher's pid read before fork().
Status die_with_parent(pid_t parent);

// PR_SET_DUMPABLE. A process that is not dumpable cannot be ptraced, read through
// /proc/<pid>/mem, environ or fd/, nor have its descriptors taken (pidfd_getfd) by a process of
// the same uid without CAP_SYS_PTRACE; execve() resets it.
Status set_dumpable(bool dumpable);
// PR_SET_PDEATHSIG: `signal_number` is sent to this process when its parent thread exits.
Status set_parent_death_signal(int signal_number);
// PR_SET_CHILD_SUBREAPER: orphaned descendants are re-parented to this process.
Status become_child_subreaper();

// Every live descendant of `ancestor` (children, their children, ...), from the parent pids in
// /proc/<pid>/stat. A snapshot: processes may fork or exit meanwhile.
Result<std::vector<pid_t>> descendants_of(pid_t ancestor);
// The parent pid in the text of /proc/<pid>/stat (after the last ')': the name may hold any
// byte); nullopt when malformed.
std::optional<pid_t> parent_from_stat(std::string_view stat_text);

// Resolves argv[0] like execvp but with PATH taken from `env` ("NAME=value" entries; default
// "/usr/local/bin:/usr/bin:/bin"), then execve. Returns only on failure.
Error exec_command(const std::vector<std::string>& argv, const std::vector<std::string>& env);

// Fills `bytes` from the kernel's random source (getrandom); false when it could not.
bool random_bytes(std::span<unsigned char> bytes);

// Writes "jailkeeper-launch: <message>\n" to stderr with write(2) (safe in a forked child).
void child_report(const std::string& message);

}  // namespace jk::launcher::sys
