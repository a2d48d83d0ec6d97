#pragma once
// The architectures the launcher's seccomp filters are written for: the AUDIT_ARCH value the
// kernel puts in seccomp_data.arch for the native ABI, that ABI's syscall numbers, and the bit
// that marks a second ABI sharing the same AUDIT_ARCH (x86_64's x32).
//
// The numbers are written out per architecture rather than taken from <sys/syscall.h>, so that
// one build can produce (and test) the filter of every architecture, and so that a number is
// never borrowed from the compiling host by mistake. Each table is checked against the target's
// kernel headers at compile time (tests/unit/launcher/sys/syscall_table_test.cpp: x86_64 against
// <asm/unistd_64.h>, aarch64 against <asm-generic/unistd.h>, which is what arm64's
// <asm/unistd.h> includes; the arm64 cross build checks it against the cross headers too).
#include <linux/audit.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace jk::launcher::sys {

// Every syscall a filter names (seccomp_filter.cpp, jail/seccompjail/filter.cpp). All exist on
// both architectures; none of the legacy ones arm64 lacks (open, socketcall, ...) is here.
enum class Syscall : std::uint8_t {
  // refused by the deny-list
  kUnshare,
  kSetns,
  kMount,
  kUmount2,
  kPivotRoot,
  kChroot,
  kMoveMount,
  kOpenTree,
  kFsopen,
  kFsmount,
  kFsconfig,
  kFspick,
  kMountSetattr,
  kPtrace,
  kBpf,
  kPerfEventOpen,
  kKeyctl,
  kAddKey,
  kRequestKey,
  kKexecLoad,
  kKexecFileLoad,
  kInitModule,
  kFinitModule,
  kDeleteModule,
  kReboot,
  kSwapon,
  kSwapoff,
  kUserfaultfd,
  kOpenByHandleAt,
  kAcct,
  kClone3,
  kIoUringSetup,
  kIoUringEnter,
  kIoUringRegister,
  // inspected by argument
  kClone,
  kSocket,
  kSocketpair,
  kListen,
  // routed to the seccompjail broker
  kConnect,
  kSendto,
  kSendmsg,
  kSendmmsg,
  kCount
};
inline constexpr std::size_t kSyscallCount = static_cast<std::size_t>(Syscall::kCount);

struct SeccompArch {
  std::string_view name;     // as `uname -m` prints it
  std::uint32_t audit_arch;  // seccomp_data.arch of the native ABI; any other value is refused
  // Syscall numbers with this bit set belong to another ABI under the same audit_arch and are
  // refused (x86_64: __X32_SYSCALL_BIT). 0: there is none (aarch64's 32-bit compat ABI reports
  // AUDIT_ARCH_ARM, so the arch check refuses it).
  std::uint32_t foreign_abi_bit;
  std::array<std::uint32_t, kSyscallCount> numbers;  // indexed by Syscall

  [[nodiscard]] constexpr std::uint32_t nr(Syscall s) const {
    return numbers[static_cast<std::size_t>(s)];
  }
};

// In the order of enum Syscall.
inline constexpr SeccompArch kX86_64{
    "x86_64", AUDIT_ARCH_X86_64, 0x40000000U, {272, 308, 165, 166, 155, 161, 429, 428, 430,
                                               432, 431, 433, 442, 101, 321, 298, 250, 248,
                                               249, 246, 320, 175, 313, 176, 169, 167, 168,
                                               323, 304, 163, 435, 425, 426, 427,  //
                                               56,  41,  53,  50,                  //
                                               42,  44,  46,  307}};

inline constexpr SeccompArch kAarch64{
    "aarch64", AUDIT_ARCH_AARCH64, 0, {97,  268, 40,  39,  41,  51,  429, 428, 430, 432, 431, 433,
                                       442, 117, 280, 241, 219, 217, 218, 104, 294, 105, 273, 106,
                                       142, 224, 225, 282, 265, 89,  435, 425, 426, 427,  //
                                       220, 198, 199, 201,                                //
                                       203, 206, 211, 269}};

// The architecture this binary runs as: the filters it installs are built for it.
constexpr const SeccompArch& native_seccomp_arch() {
#if defined(__x86_64__)
  return kX86_64;
#elif defined(__aarch64__)
  return kAarch64;
#else
#error "the seccomp filters know x86_64 and aarch64 only (launcher/sys/seccomp_arch.h)"
#endif
}

}  // namespace jk::launcher::sys
