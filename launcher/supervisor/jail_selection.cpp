#include "launcher/supervisor/jail_selection.h"

namespace jk::launcher::supervisor {
namespace {

constexpr JailKind kAutoOrder[] = {JailKind::kNsjail, JailKind::kLandjail, JailKind::kSeccompjail};

const std::optional<Status>& probe_of(const JailAvailability& a, JailKind kind) {
  switch (kind) {
    case JailKind::kNsjail:
      return a.nsjail;
    case JailKind::kLandjail:
      return a.landjail;
    case JailKind::kSeccompjail:
      return a.seccompjail;
  }
  return a.nsjail;
}

// Empty when the jail can run, else the reason.
std::string unavailable_reason(const JailProber& prober, JailKind kind) {
  const std::optional<Status> probe = prober(kind);
  if (!probe.has_value()) return "not built into this launcher";
  if (!probe->ok()) return probe->error().message;
  return {};
}

std::optional<JailKind> kind_of(config::JailChoice choice) {
  switch (choice) {
    case config::JailChoice::kNsjail:
      return JailKind::kNsjail;
    case config::JailChoice::kLandjail:
      return JailKind::kLandjail;
    case config::JailChoice::kSeccompjail:
      return JailKind::kSeccompjail;
    case config::JailChoice::kAuto:
      return std::nullopt;
  }
  return std::nullopt;
}

std::vector<JailKind> candidates(config::JailChoice requested,
                                 const std::vector<launchspec::JailType>& fallback) {
  std::vector<JailKind> order;
  const auto add = [&order](JailKind kind) {
    for (JailKind k : order) {
      if (k == kind) return;
    }
    order.push_back(kind);
  };
  if (auto first = kind_of(requested)) {
    add(*first);
  } else {
    for (JailKind kind : kAutoOrder) add(kind);
  }
  for (auto type : fallback) {
    if (auto kind = kind_of(config::from_spec_jail(type))) add(*kind);
  }
  return order;
}

}  // namespace

std::string_view jail_kind_name(JailKind kind) {
  switch (kind) {
    case JailKind::kNsjail:
      return "nsjail";
    case JailKind::kLandjail:
      return "landjail";
    case JailKind::kSeccompjail:
      return "seccompjail";
  }
  return "unknown";
}

Result<JailSelection> choose_jail(config::JailChoice requested,
                                  const std::vector<launchspec::JailType>& fallback,
                                  const JailAvailability& availability) {
  return choose_jail(requested, fallback,
                     [&availability](JailKind kind) { return probe_of(availability, kind); });
}

Result<JailSelection> choose_jail(config::JailChoice requested,
                                  const std::vector<launchspec::JailType>& fallback,
                                  const JailProber& probe) {
  JailSelection selection;
  std::string reasons;
  for (JailKind kind : candidates(requested, fallback)) {
    const std::string reason = unavailable_reason(probe, kind);
    if (reason.empty()) {
      selection.kind = kind;
      return selection;
    }
    const std::string line = std::string(jail_kind_name(kind)) + ": " + reason;
    selection.notes.push_back(line + "; trying the next jail");
    reasons += (reasons.empty() ? "" : "; ") + line;
  }
  return make_error("no jail can run here, refusing to start the agent (" + reasons + ")");
}

}  // namespace jk::launcher::supervisor
