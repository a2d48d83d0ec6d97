// The filters' syscall numbers (launcher/sys/seccomp_arch.h) against the kernel headers of each
// target: the native table against <sys/syscall.h> of the compiler that built this test (x86_64
// in the native build; aarch64 in the arm64 cross build, run under qemu), aarch64's against the
// generic table on every build. A wrong number fails the build (static_assert); the tests below
// name it. The x86_64 table is checked where an x86_64 compiler builds this file.
#include <sys/syscall.h>

#include <gtest/gtest.h>

#include "tests/unit/launcher/sys/syscall_table.h"

namespace jk::launcher::sys::testing {
namespace {

constexpr HeaderTable kNative{{JK_SECCOMP_SYSCALLS(JK_SYSCALL_FROM_HEADERS)}};
static_assert(table_matches(native_seccomp_arch(), kNative),
              "the native table (launcher/sys/seccomp_arch.h) differs from <sys/syscall.h>");

void expect_table(const SeccompArch& arch, const HeaderTable& headers) {
  std::array<int, kSyscallCount> seen{};
  for (const HeaderNumber& h : headers) {
    ++seen[static_cast<std::size_t>(h.id)];
    EXPECT_EQ(arch.nr(h.id), static_cast<std::uint32_t>(h.number)) << arch.name << ": " << h.name;
  }
  for (std::size_t i = 0; i < kSyscallCount; ++i) EXPECT_EQ(seen[i], 1) << "Syscall #" << i;
}

TEST(SyscallTable, NativeNumbersAreTheCompilersHeaders) {
  expect_table(native_seccomp_arch(), kNative);
}

TEST(SyscallTable, Aarch64NumbersAreTheGenericTable) {
  expect_table(kAarch64, generic_header_numbers());
}

TEST(SyscallTable, NativeArchitectureIsTheOneThisTestRunsAs) {
#if defined(__x86_64__)
  EXPECT_EQ(native_seccomp_arch().audit_arch, AUDIT_ARCH_X86_64);
  EXPECT_EQ(native_seccomp_arch().foreign_abi_bit, static_cast<std::uint32_t>(__X32_SYSCALL_BIT));
#elif defined(__aarch64__)
  EXPECT_EQ(native_seccomp_arch().audit_arch, AUDIT_ARCH_AARCH64);
  EXPECT_EQ(native_seccomp_arch().foreign_abi_bit, 0U);
#endif
}

}  // namespace
}  // namespace jk::launcher::sys::testing
