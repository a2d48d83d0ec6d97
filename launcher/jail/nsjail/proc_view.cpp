#include "launcher/jail/nsjail/proc_view.h"

#include <array>
#include <cstddef>

namespace jk::launcher::jail {
namespace {

constexpr std::size_t kMountPointField = 4;  // 0-based: id parent major:minor root mountpoint
constexpr std::size_t kOptionsField = 5;

// Splits one mountinfo line on spaces into its first fields (escaped spaces are \040, so a raw
// space always separates fields).
std::array<std::string_view, kOptionsField + 1> fields(std::string_view line) {
  std::array<std::string_view, kOptionsField + 1> out{};
  for (std::size_t i = 0; i < out.size(); ++i) {
    const std::size_t space = line.find(' ');
    out.at(i) = line.substr(0, space);
    if (space == std::string_view::npos) break;
    line.remove_prefix(space + 1);
  }
  return out;
}

bool read_only(std::string_view options) {
  return options == "ro" || options.substr(0, 3) == "ro,";
}

}  // namespace

ProcView fresh_proc_view(std::string_view mountinfo) {
  bool proc_seen = false;
  while (!mountinfo.empty()) {
    const std::size_t end = mountinfo.find('\n');
    const std::string_view line = mountinfo.substr(0, end);
    mountinfo.remove_prefix(end == std::string_view::npos ? mountinfo.size() : end + 1);
    const auto f = fields(line);
    const std::string_view point = f.at(kMountPointField);
    if (point == "/proc") {
      proc_seen = true;
      if (read_only(f.at(kOptionsField))) return {false, "/proc is mounted read-only"};
    } else if (point.substr(0, 6) == "/proc/") {
      return {false, "/proc has masked or read-only parts (container runtime)"};
    }
  }
  if (!proc_seen) return {false, "no /proc mount found"};
  return {true, {}};
}

}  // namespace jk::launcher::jail
