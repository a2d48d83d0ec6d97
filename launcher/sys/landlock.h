#pragma once
// Landlock through raw syscalls (Debian 12's headers predate the network rules of ABI 4).
#include <cstdint>

#include "common/result.h"

namespace jk::launcher::sys {

// First ABI with TCP connect/bind rules (Linux 6.7).
inline constexpr int kLandlockNetAbi = 4;
// First ABI with scoping of abstract Unix sockets and signals (Linux 6.12).
inline constexpr int kLandlockScopeAbi = 6;

// The ABI version, or an error saying why Landlock is unusable: "Landlock is not supported by
// this kernel" (ENOSYS) or "Landlock is disabled" (EOPNOTSUPP: not in lsm=).
Result<int> landlock_abi();

// Restricts the calling thread (and its future children) so that TCP connect succeeds only to
// `port` (any address); bind stays allowed. With ABI >= 6 also scopes abstract Unix sockets and
// signals to the new domain. Sets no_new_privs first (restrict_self needs it).
Status landlock_restrict_connect(std::uint16_t port, int abi);

}  // namespace jk::launcher::sys
