#pragma once
// The per-instance directory for files the agent must read (the trust bundle): created under
// $TMPDIR (default /tmp) as jailkeeper-launch.<pid>.<random>, removed when the launcher exits.
// A launcher killed with SIGKILL cannot remove its own: the next start removes every such
// directory whose pid is no longer alive.
#include <sys/types.h>

#include <string>
#include <vector>

#include "common/result.h"

namespace jk::launcher::supervisor {

inline constexpr std::string_view kInstanceDirPrefix = "jailkeeper-launch.";

// The pid encoded in a directory name made by InstanceDir, or -1 for any other name.
pid_t instance_dir_owner(std::string_view name);

// Removes the instance directories of dead launchers in `parent`; returns how many.
int remove_stale_instance_dirs(const std::string& parent);

class InstanceDir {
 public:
  static Result<InstanceDir> create(const std::string& parent);
  InstanceDir(InstanceDir&& other) noexcept;
  InstanceDir& operator=(InstanceDir&&) = delete;
  InstanceDir(const InstanceDir&) = delete;
  InstanceDir& operator=(const InstanceDir&) = delete;
  ~InstanceDir();  // removes the directory and everything in it

  [[nodiscard]] const std::string& path() const { return path_; }

 private:
  explicit InstanceDir(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

// Where the instance directory may go, in order: $TMPDIR when set and absolute, the webhook's
// run directory (launchspec::kRunDir), /tmp, /dev/shm (a read-only root filesystem leaves the
// later ones).
std::vector<std::string> temp_parents(const char* tmpdir_env);

// The first parent an instance directory can be created in; the error names every one tried.
Result<InstanceDir> create_in_first(const std::vector<std::string>& parents);

}  // namespace jk::launcher::supervisor
