#pragma once
// What this kernel and container allow, for `doctor` and for choosing a jail. Each probe is
// cheap and has no lasting effect.
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace jk::launcher::sys {

struct UserNamespaceProbe {
  std::optional<long> max_user_namespaces;  // /proc/sys/user/max_user_namespaces, if readable
  bool can_create = false;                  // a forked child managed unshare(CLONE_NEWUSER)
  std::string reason;                       // why not, when !can_create
};
UserNamespaceProbe probe_user_namespaces();

enum class SeccompMode { kDisabled = 0, kStrict = 1, kFilter = 2 };
std::string_view seccomp_mode_name(SeccompMode mode);
// The "Seccomp:" line of a /proc/<pid>/status text.
Result<SeccompMode> parse_seccomp_mode(std::string_view status_text);
Result<SeccompMode> own_seccomp_mode();

// uname()'s release ("6.8.0-1-amd64"), or "unknown".
std::string kernel_release();

// nf_tables over netlink: a NETLINK_NETFILTER socket opens. (Changing rules also needs
// CAP_NET_ADMIN in the namespace that owns the network namespace.)
Status probe_netfilter_netlink();

}  // namespace jk::launcher::sys
