#pragma once
// Which jail runs the agent: the requested one (flag > launch spec), else the spec's fallbacks in
// order, or with `auto` the strongest this host can build (nsjail, landjail, seccompjail). Pure:
// the availability probes are done by the caller, so the table is testable.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "launcher/config/launch_options.h"

namespace jk::launcher::supervisor {

enum class JailKind { kNsjail, kLandjail, kSeccompjail };
std::string_view jail_kind_name(JailKind kind);

// Each jail's probe result; nullopt: that jail is not built into this launcher.
struct JailAvailability {
  std::optional<Status> nsjail;
  std::optional<Status> landjail;
  std::optional<Status> seccompjail;
};

// Probes one jail on demand (probes fork trial children: only the candidates tried are probed).
using JailProber = std::function<std::optional<Status>(JailKind)>;

struct JailSelection {
  JailKind kind = JailKind::kNsjail;
  // Info lines to log, e.g. "nsjail unavailable (...): falling back to landjail".
  std::vector<std::string> notes;
};

// The error (fail closed) lists every jail tried and why it cannot run.
Result<JailSelection> choose_jail(config::JailChoice requested,
                                  const std::vector<launchspec::JailType>& fallback,
                                  const JailProber& probe);
// The same with every probe done in advance.
Result<JailSelection> choose_jail(config::JailChoice requested,
                                  const std::vector<launchspec::JailType>& fallback,
                                  const JailAvailability& availability);

}  // namespace jk::launcher::supervisor
