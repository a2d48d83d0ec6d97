#pragma once
// Runs the built-in jails' availability probes (for choose_jail and doctor).
#include <optional>

#include "common/result.h"
#include "launcher/config/launch_options.h"
#include "launcher/supervisor/jail_selection.h"

namespace jk::launcher::supervisor {

// One jail's probe; nullopt when the jail is not built into this launcher.
std::optional<Status> probe_jail(JailKind kind, const config::LaunchOptions& options);

JailAvailability probe_jails(const config::LaunchOptions& options);

}  // namespace jk::launcher::supervisor
