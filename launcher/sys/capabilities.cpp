#include "launcher/sys/capabilities.h"

#include <fcntl.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <sstream>

#include "launcher/sys/errno_error.h"
#include "launcher/sys/text_file.h"

namespace jk::launcher::sys {
namespace {

constexpr unsigned kMaxCapabilities = 64;
constexpr int kHexBase = 16;
constexpr int kDecimalBase = 10;
constexpr std::size_t kSmallFile = 64;  // /proc/sys/kernel/cap_last_cap: "40\n"

// Index = capability number (linux/capability.h, up to CAP_CHECKPOINT_RESTORE = 40).
constexpr std::array<const char*, 41> kNames = {"chown",
                                                "dac_override",
                                                "dac_read_search",
                                                "fowner",
                                                "fsetid",
                                                "kill",
                                                "setgid",
                                                "setuid",
                                                "setpcap",
                                                "linux_immutable",
                                                "net_bind_service",
                                                "net_broadcast",
                                                "net_admin",
                                                "net_raw",
                                                "ipc_lock",
                                                "ipc_owner",
                                                "sys_module",
                                                "sys_rawio",
                                                "sys_chroot",
                                                "sys_ptrace",
                                                "sys_pacct",
                                                "sys_admin",
                                                "sys_boot",
                                                "sys_nice",
                                                "sys_resource",
                                                "sys_time",
                                                "sys_tty_config",
                                                "mknod",
                                                "lease",
                                                "audit_write",
                                                "audit_control",
                                                "setfcap",
                                                "mac_override",
                                                "mac_admin",
                                                "syslog",
                                                "wake_alarm",
                                                "block_suspend",
                                                "audit_read",
                                                "perfmon",
                                                "bpf",
                                                "checkpoint_restore"};

Result<std::uint64_t> parse_hex_mask(std::string_view text) {
  std::uint64_t value = 0;
  const auto* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value, kHexBase);
  if (ec != std::errc() || ptr != end || text.empty()) {
    return make_error("not a hexadecimal capability mask: \"" + std::string(text) + "\"");
  }
  return value;
}

std::uint64_t* field_for(CapabilitySets& sets, std::string_view key) {
  if (key == "CapInh") return &sets.inheritable;
  if (key == "CapPrm") return &sets.permitted;
  if (key == "CapEff") return &sets.effective;
  if (key == "CapBnd") return &sets.bounding;
  if (key == "CapAmb") return &sets.ambient;
  return nullptr;
}

// Only capabilities still in the set are dropped: dropping needs CAP_SETPCAP, which a launcher
// started without capabilities does not have (its bounding set may already be empty).
Status drop_bounding_set(unsigned last) {
  for (unsigned cap = 0; cap <= last; ++cap) {
    if (prctl(PR_CAPBSET_READ, cap, 0, 0, 0) != 1) continue;  // absent, or unknown (EINVAL)
    if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0) {
      return errno_error("PR_CAPBSET_DROP(" + capability_name(cap) + ")");
    }
  }
  return {};
}

}  // namespace

Result<CapabilitySets> parse_capability_sets(std::string_view status_text) {
  CapabilitySets sets;
  int found = 0;
  std::istringstream lines{std::string(status_text)};
  for (std::string line; std::getline(lines, line);) {
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::uint64_t* field = field_for(sets, std::string_view(line).substr(0, colon));
    if (field == nullptr) continue;
    const auto value_start = line.find_first_not_of(" \t", colon + 1);
    if (value_start == std::string::npos) return make_error("empty " + line.substr(0, colon));
    JK_TRY(*field, parse_hex_mask(std::string_view(line).substr(value_start)));
    ++found;
  }
  constexpr int kSets = 5;
  if (found != kSets) return make_error("status text lacks some of CapInh/Prm/Eff/Bnd/Amb");
  return sets;
}

Result<CapabilitySets> read_own_capabilities() {
  std::ifstream in("/proc/self/status");
  if (!in) return make_error("cannot read /proc/self/status");
  std::stringstream text;
  text << in.rdbuf();
  return parse_capability_sets(text.str());
}

std::string capability_name(unsigned number) {
  if (number < kNames.size()) return std::string("cap_") + kNames[number];
  return "cap_" + std::to_string(number);
}

std::vector<std::string> capability_names(std::uint64_t mask) {
  std::vector<std::string> names;
  for (unsigned bit = 0; bit < kMaxCapabilities; ++bit) {
    if ((mask >> bit) & 1U) names.push_back(capability_name(bit));
  }
  return names;
}

Result<unsigned> last_capability() {
  JK_TRY(const std::string text, read_text_file("/proc/sys/kernel/cap_last_cap", kSmallFile));
  unsigned value = 0;
  const auto* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value, kDecimalBase);
  if (ec != std::errc() || value >= kMaxCapabilities) {
    return make_error("unexpected /proc/sys/kernel/cap_last_cap: " + text);
  }
  return value;
}

bool has_effective_capability(unsigned number) {
  __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
  std::array<__user_cap_data_struct, _LINUX_CAPABILITY_U32S_3> data{};
  if (syscall(SYS_capget, &header, data.data()) != 0) return false;
  constexpr unsigned kBitsPerWord = 32;
  return (data.at(number / kBitsPerWord).effective >> (number % kBitsPerWord) & 1U) != 0;
}

Status drop_thread_capabilities() {
  __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
  std::array<__user_cap_data_struct, _LINUX_CAPABILITY_U32S_3> data{};
  if (syscall(SYS_capset, &header, data.data()) != 0) {
    return errno_error("capset(empty) for this thread");
  }
  return {};
}

Status drop_all_capabilities() {
  // Emptying the bounding set needs CAP_SETPCAP (a container with `drop: [ALL]`, or a non-root
  // one, has none). Without it the bounding set stays: once permitted, effective, inheritable
  // and ambient are empty and no_new_privs is set (lockdown() does both), execve cannot grant a
  // capability from it (cap_bprm_creds_from_file intersects gains with the old permitted set
  // under no_new_privs), and a new user namespace, which would ignore it anyway, is refused by
  // the seccomp filter.
  if (has_effective_capability(CAP_SETPCAP)) {
    // Without /proc (a fresh mount namespace), try every number: unknown ones give EINVAL.
    auto last = last_capability();
    JK_TRY_STATUS(drop_bounding_set(last.ok() ? *last : kMaxCapabilities - 1));
  }
  if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0 && errno != EINVAL) {
    return errno_error("PR_CAP_AMBIENT_CLEAR_ALL");
  }
  return drop_thread_capabilities();  // single-threaded here: the whole process
}

}  // namespace jk::launcher::sys
