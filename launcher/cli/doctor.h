#pragma once
// `jailkeeper-launch doctor [-o json]`: what this kernel and container allow and which jails can
// run here (and why not). Gathering is separate from formatting so the output is testable.
#include <optional>
#include <string>
#include <vector>

#include "launcher/config/launch_options.h"

namespace jk::launcher::cli {

struct JailStatus {
  std::string name;
  bool available = false;
  std::string reason;  // why not, when !available
};

struct DoctorReport {
  // The CPU architecture this launcher was built for ("x86_64", "aarch64"): its seccomp filters
  // allow that ABI only (launcher/sys/seccomp_arch.h).
  std::string architecture;
  std::optional<long> max_user_namespaces;
  bool user_namespaces = false;
  std::string user_namespaces_reason;
  std::vector<std::string> effective_capabilities;  // names; empty: none
  std::vector<std::string> bounding_capabilities;
  std::string capabilities_error;  // when /proc/self/status could not be read
  std::string seccomp_mode;        // "disabled", "strict", "filter" or "unknown"
  std::optional<int> landlock_abi;
  std::string landlock_reason;  // when no ABI
  bool nf_tables = false;
  std::string nf_tables_reason;
  std::vector<JailStatus> jails;
};

DoctorReport gather_doctor_report(const config::LaunchOptions& options);

std::string format_doctor_text(const DoctorReport& report);
// One JSON object (pretty-printed, ends with a newline).
std::string format_doctor_json(const DoctorReport& report);

}  // namespace jk::launcher::cli
