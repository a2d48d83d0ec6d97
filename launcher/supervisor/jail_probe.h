#pragma once
// Runs each built-in jail's availability probe (for choose_jail and doctor).
#include "launcher/config/launch_options.h"
#include "launcher/supervisor/jail_selection.h"

namespace jk::launcher::supervisor {

JailAvailability probe_jails(const config::LaunchOptions& options);

}  // namespace jk::launcher::supervisor
