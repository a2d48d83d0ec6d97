#include "launcher/supervisor/jail_probe.h"

#include "launcher/jail/landjail.h"

namespace jk::launcher::supervisor {

JailAvailability probe_jails(const config::LaunchOptions& /*options*/) {
  JailAvailability availability;
  availability.landjail = jail::landjail_available();
  return availability;
}

}  // namespace jk::launcher::supervisor
