#include "launcher/supervisor/instance_dir.h"

#include <algorithm>

#include "common/strings.h"
#include "launcher/sys/file_io.h"
#include "launcher/sys/signals.h"
#include "launchspec/launch_spec.h"

#include <signal.h>
#include <unistd.h>

#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <vector>

namespace jk::launcher::supervisor {
namespace {

namespace fs = std::filesystem;
constexpr std::string_view kRandomSuffix = "XXXXXX";

void remove_tree(const std::string& path) {
  std::error_code ignored;
  fs::remove_all(path, ignored);
}

}  // namespace

pid_t instance_dir_owner(std::string_view name) {
  if (name.substr(0, kInstanceDirPrefix.size()) != kInstanceDirPrefix) return -1;
  name.remove_prefix(kInstanceDirPrefix.size());
  const auto dot = name.find('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 + kRandomSuffix.size() != name.size()) {
    return -1;
  }
  pid_t pid = -1;
  const auto [ptr, ec] = std::from_chars(name.data(), name.data() + dot, pid);
  if (ec != std::errc() || ptr != name.data() + dot || pid <= 0) return -1;
  return pid;
}

int remove_stale_instance_dirs(const std::string& parent) {
  std::error_code error;
  std::vector<std::string> stale;
  for (const auto& entry : fs::directory_iterator(parent, error)) {
    const pid_t owner = instance_dir_owner(entry.path().filename().string());
    if (owner > 0 && owner != getpid() && !sys::process_exists(owner))
      stale.push_back(entry.path());
  }
  for (const auto& path : stale) remove_tree(path);
  return static_cast<int>(stale.size());
}

Result<InstanceDir> InstanceDir::create(const std::string& parent) {
  auto path =
      sys::make_temp_dir(parent, std::string(kInstanceDirPrefix) + std::to_string(getpid()) + ".");
  if (!path.ok()) return path.error().wrap("the instance directory");
  return InstanceDir(std::move(*path));
}

InstanceDir::InstanceDir(InstanceDir&& other) noexcept : path_(std::exchange(other.path_, {})) {}

InstanceDir::~InstanceDir() {
  if (!path_.empty()) remove_tree(path_);
}

std::vector<std::string> temp_parents(const char* tmpdir_env) {
  std::vector<std::string> out;
  if (tmpdir_env != nullptr && tmpdir_env[0] == '/') out.emplace_back(tmpdir_env);
  for (const std::string_view p :
       {launchspec::kRunDir, std::string_view("/tmp"), std::string_view("/dev/shm")}) {
    if (std::find(out.begin(), out.end(), p) == out.end()) out.emplace_back(p);
  }
  return out;
}

Result<InstanceDir> create_in_first(const std::vector<std::string>& parents) {
  std::vector<std::string> failures;
  for (const auto& parent : parents) {
    auto dir = InstanceDir::create(parent);
    if (dir.ok()) return dir;
    failures.push_back(dir.error().message);
  }
  return make_error(join(failures, "; ") +
                    " (set TMPDIR to a writable directory, e.g. an emptyDir volume)");
}

}  // namespace jk::launcher::supervisor
