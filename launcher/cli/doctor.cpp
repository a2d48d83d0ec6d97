#include "launcher/cli/doctor.h"

#include <nlohmann/json.hpp>

#include <sstream>

#include "launcher/supervisor/jail_probe.h"
#include "launcher/sys/capabilities.h"
#include "launcher/sys/landlock.h"
#include "launcher/sys/probes.h"
#include "launcher/sys/seccomp_arch.h"

namespace jk::launcher::cli {
namespace {

constexpr int kJsonIndent = 2;
using supervisor::JailKind;

JailStatus jail_status(JailKind kind, const std::optional<Status>& probe) {
  JailStatus status{std::string(supervisor::jail_kind_name(kind)), false, {}};
  if (!probe.has_value()) {
    status.reason = "not built into this launcher";
  } else if (!probe->ok()) {
    status.reason = probe->error().message;
  } else {
    status.available = true;
  }
  return status;
}

void gather_capabilities(DoctorReport& report) {
  auto caps = sys::read_own_capabilities();
  if (!caps.ok()) {
    report.capabilities_error = caps.error().message;
    return;
  }
  report.effective_capabilities = sys::capability_names(caps->effective);
  report.bounding_capabilities = sys::capability_names(caps->bounding);
}

std::string joined(const std::vector<std::string>& names) {
  if (names.empty()) return "none";
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ",") + n;
  return out;
}

std::string yes_no(bool value, const std::string& reason) {
  return value ? "yes" : "no (" + reason + ")";
}

}  // namespace

DoctorReport gather_doctor_report(const config::LaunchOptions& options) {
  DoctorReport report;
  report.architecture = std::string(sys::native_seccomp_arch().name);
  const sys::UserNamespaceProbe userns = sys::probe_user_namespaces();
  report.max_user_namespaces = userns.max_user_namespaces;
  report.user_namespaces = userns.can_create;
  report.user_namespaces_reason = userns.reason;
  gather_capabilities(report);
  auto mode = sys::own_seccomp_mode();
  report.seccomp_mode = mode.ok() ? std::string(sys::seccomp_mode_name(*mode)) : "unknown";
  auto abi = sys::landlock_abi();
  if (abi.ok()) report.landlock_abi = *abi;
  if (!abi.ok()) report.landlock_reason = abi.error().message;
  auto nft = sys::probe_netfilter_netlink();
  report.nf_tables = nft.ok();
  if (!nft.ok()) report.nf_tables_reason = nft.error().message;
  const supervisor::JailAvailability jails = supervisor::probe_jails(options);
  report.jails = {jail_status(JailKind::kNsjail, jails.nsjail),
                  jail_status(JailKind::kLandjail, jails.landjail),
                  jail_status(JailKind::kSeccompjail, jails.seccompjail)};
  return report;
}

std::string format_doctor_text(const DoctorReport& r) {
  std::ostringstream out;
  out << "architecture:       " << r.architecture << " (the seccomp filters allow this ABI only)\n";
  out << "user namespaces:    " << yes_no(r.user_namespaces, r.user_namespaces_reason)
      << ", user.max_user_namespaces="
      << (r.max_user_namespaces ? std::to_string(*r.max_user_namespaces) : "unreadable") << "\n";
  if (r.capabilities_error.empty()) {
    out << "capabilities:       " << joined(r.effective_capabilities) << "\n"
        << "bounding set:       " << joined(r.bounding_capabilities) << "\n";
  } else {
    out << "capabilities:       unknown (" << r.capabilities_error << ")\n";
  }
  out << "seccomp mode:       " << r.seccomp_mode << "\n"
      << "Landlock ABI:       "
      << (r.landlock_abi ? std::to_string(*r.landlock_abi) : "none (" + r.landlock_reason + ")")
      << "\n"
      << "nf_tables netlink:  " << yes_no(r.nf_tables, r.nf_tables_reason) << "\n"
      << "jails:\n";
  for (const auto& jail : r.jails) {
    out << "  " << jail.name << ": " << (jail.available ? "can run" : "cannot run: " + jail.reason)
        << "\n";
  }
  return out.str();
}

std::string format_doctor_json(const DoctorReport& r) {
  nlohmann::ordered_json j;
  j["architecture"] = r.architecture;
  j["user_namespaces"] = {
      {"allowed", r.user_namespaces},
      {"max", r.max_user_namespaces ? nlohmann::ordered_json(*r.max_user_namespaces)
                                    : nlohmann::ordered_json(nullptr)},
      {"reason", r.user_namespaces_reason}};
  j["capabilities"] = {{"effective", r.effective_capabilities},
                       {"bounding", r.bounding_capabilities},
                       {"error", r.capabilities_error}};
  j["seccomp_mode"] = r.seccomp_mode;
  j["landlock"] = {{"abi", r.landlock_abi ? nlohmann::ordered_json(*r.landlock_abi)
                                          : nlohmann::ordered_json(nullptr)},
                   {"reason", r.landlock_reason}};
  j["nf_tables"] = {{"available", r.nf_tables}, {"reason", r.nf_tables_reason}};
  nlohmann::ordered_json jails = nlohmann::ordered_json::array();
  for (const auto& jail : r.jails) {
    jails.push_back({{"name", jail.name}, {"available", jail.available}, {"reason", jail.reason}});
  }
  j["jails"] = std::move(jails);
  return j.dump(kJsonIndent, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace jk::launcher::cli
