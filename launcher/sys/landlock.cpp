#include "launcher/sys/landlock.h"

#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "launcher/sys/errno_error.h"
#include "launcher/sys/lockdown.h"
#include "launcher/sys/unique_fd.h"

namespace jk::launcher::sys {
namespace {

// Mirrors of the uapi structs and constants of Linux >= 6.12 (linux/landlock.h).
struct RulesetAttr {
  std::uint64_t handled_access_fs = 0;
  std::uint64_t handled_access_net = 0;
  std::uint64_t scoped = 0;
};
struct NetPortAttr {
  std::uint64_t allowed_access = 0;
  std::uint64_t port = 0;
} __attribute__((packed));

constexpr unsigned kCreateRulesetVersion = 1U << 0;
constexpr int kRuleNetPort = 2;
constexpr std::uint64_t kAccessNetConnectTcp = 1ULL << 1;
constexpr std::uint64_t kScopeAbstractUnixSocket = 1ULL << 0;
constexpr std::uint64_t kScopeSignal = 1ULL << 1;
// ABI 4 and 5 do not know `scoped`: they get the struct without it.
constexpr std::size_t kRulesetAttrSizeNoScope = 2 * sizeof(std::uint64_t);

}  // namespace

Result<int> landlock_abi() {
  const long abi = syscall(SYS_landlock_create_ruleset, nullptr, 0, kCreateRulesetVersion);
  if (abi >= 0) return static_cast<int>(abi);
  if (errno == ENOSYS) return make_error("Landlock is not supported by this kernel (ENOSYS)");
  if (errno == EOPNOTSUPP) {
    return make_error("Landlock is disabled: add landlock to the kernel's lsm= boot parameter");
  }
  return errno_error("landlock_create_ruleset(VERSION)");
}

Status landlock_restrict_connect(std::uint16_t port, int abi) {
  RulesetAttr attr;
  attr.handled_access_net = kAccessNetConnectTcp;
  std::size_t size = kRulesetAttrSizeNoScope;
  if (abi >= kLandlockScopeAbi) {
    attr.scoped = kScopeAbstractUnixSocket | kScopeSignal;
    size = sizeof(attr);
  }
  UniqueFd ruleset(static_cast<int>(syscall(SYS_landlock_create_ruleset, &attr, size, 0)));
  if (!ruleset) return errno_error("landlock_create_ruleset");
  NetPortAttr rule{kAccessNetConnectTcp, port};
  if (syscall(SYS_landlock_add_rule, ruleset.get(), kRuleNetPort, &rule, 0) != 0) {
    return errno_error("landlock_add_rule(net port)");
  }
  JK_TRY_STATUS(set_no_new_privs());
  if (syscall(SYS_landlock_restrict_self, ruleset.get(), 0) != 0) {
    return errno_error("landlock_restrict_self");
  }
  return {};
}

}  // namespace jk::launcher::sys
