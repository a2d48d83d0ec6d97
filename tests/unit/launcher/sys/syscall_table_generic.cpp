// aarch64's syscall numbers from the kernel's generic table, without an arm64 toolchain: arm64's
// <asm/unistd.h> is exactly these __ARCH_WANT_* definitions followed by <asm-generic/unistd.h>
// (linux arch/arm64/include/uapi/asm/unistd.h). Nothing here may include <sys/syscall.h>: its
// host numbers would clash with these. The arm64 cross build checks the same table against the
// cross headers through <sys/syscall.h> (syscall_table_test.cpp).
#define __ARCH_WANT_RENAMEAT
#define __ARCH_WANT_NEW_STAT
#define __ARCH_WANT_SET_GET_RLIMIT
#define __ARCH_WANT_TIME32_SYSCALLS
#define __ARCH_WANT_SYS_CLONE3
#define __ARCH_WANT_MEMFD_SECRET
#include <asm-generic/unistd.h>

#include "tests/unit/launcher/sys/syscall_table.h"

namespace jk::launcher::sys::testing {
namespace {

constexpr HeaderTable kGeneric{{JK_SECCOMP_SYSCALLS(JK_SYSCALL_FROM_HEADERS)}};
static_assert(table_matches(kAarch64, kGeneric),
              "kAarch64 (launcher/sys/seccomp_arch.h) differs from <asm-generic/unistd.h>");

}  // namespace

const HeaderTable& generic_header_numbers() { return kGeneric; }

}  // namespace jk::launcher::sys::testing
