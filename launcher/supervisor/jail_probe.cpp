#include "launcher/supervisor/jail_probe.h"

#include "launcher/jail/landjail.h"
#include "launcher/jail/nsjail.h"
#include "launcher/jail/seccompjail.h"

namespace jk::launcher::supervisor {

std::optional<Status> probe_jail(JailKind kind, const config::LaunchOptions& options) {
  switch (kind) {
    case JailKind::kNsjail: {
      jail::NsjailOptions nsjail;
      nsjail.user_namespace = !options.no_user_namespace;
      return jail::nsjail_available(nsjail);
    }
    case JailKind::kLandjail:
      return jail::landjail_available();
    case JailKind::kSeccompjail:
      return jail::seccompjail_available();
  }
  return std::nullopt;
}

JailAvailability probe_jails(const config::LaunchOptions& options) {
  return JailAvailability{probe_jail(JailKind::kNsjail, options),
                          probe_jail(JailKind::kLandjail, options),
                          probe_jail(JailKind::kSeccompjail, options)};
}

}  // namespace jk::launcher::supervisor
