#pragma once
// What the kernel headers of a target say each syscall of sys::Syscall is numbered, gathered by
// JK_SECCOMP_SYSCALLS from the __NR_* macros of whichever <asm/unistd*.h> the including file
// chose, and checked against a SeccompArch table at compile time (static_assert) and at run time
// (syscall_table_test.cpp, naming each mismatch).
#include <array>
#include <cstddef>
#include <cstdint>

#include "launcher/sys/seccomp_arch.h"

// X(enum name, syscall name): every sys::Syscall, once.
// clang-format off
#define JK_SECCOMP_SYSCALLS(X) \
  X(kUnshare, unshare) \
  X(kSetns, setns) \
  X(kMount, mount) \
  X(kUmount2, umount2) \
  X(kPivotRoot, pivot_root) \
  X(kChroot, chroot) \
  X(kMoveMount, move_mount) \
  X(kOpenTree, open_tree) \
  X(kFsopen, fsopen) \
  X(kFsmount, fsmount) \
  X(kFsconfig, fsconfig) \
  X(kFspick, fspick) \
  X(kMountSetattr, mount_setattr) \
  X(kPtrace, ptrace) \
  X(kBpf, bpf) \
  X(kPerfEventOpen, perf_event_open) \
  X(kKeyctl, keyctl) \
  X(kAddKey, add_key) \
  X(kRequestKey, request_key) \
  X(kKexecLoad, kexec_load) \
  X(kKexecFileLoad, kexec_file_load) \
  X(kInitModule, init_module) \
  X(kFinitModule, finit_module) \
  X(kDeleteModule, delete_module) \
  X(kReboot, reboot) \
  X(kSwapon, swapon) \
  X(kSwapoff, swapoff) \
  X(kUserfaultfd, userfaultfd) \
  X(kOpenByHandleAt, open_by_handle_at) \
  X(kAcct, acct) \
  X(kClone3, clone3) \
  X(kIoUringSetup, io_uring_setup) \
  X(kIoUringEnter, io_uring_enter) \
  X(kIoUringRegister, io_uring_register) \
  X(kClone, clone) \
  X(kSocket, socket) \
  X(kSocketpair, socketpair) \
  X(kListen, listen) \
  X(kConnect, connect) \
  X(kSendto, sendto) \
  X(kSendmsg, sendmsg) \
  X(kSendmmsg, sendmmsg)
// clang-format on

#define JK_SYSCALL_FROM_HEADERS(id, name) \
  ::jk::launcher::sys::testing::HeaderNumber{::jk::launcher::sys::Syscall::id, #name, __NR_##name},

namespace jk::launcher::sys::testing {

struct HeaderNumber {
  Syscall id;
  const char* name;
  long number;  // __NR_<name> of the headers
};
using HeaderTable = std::array<HeaderNumber, kSyscallCount>;

// Every Syscall appears exactly once and `arch` numbers each as the headers do.
constexpr bool table_matches(const SeccompArch& arch, const HeaderTable& headers) {
  std::array<bool, kSyscallCount> seen{};
  for (const HeaderNumber& h : headers) {
    const auto i = static_cast<std::size_t>(h.id);
    if (i >= kSyscallCount || seen[i]) return false;
    seen[i] = true;
    if (arch.nr(h.id) != static_cast<std::uint32_t>(h.number)) return false;
  }
  return true;
}

// aarch64's numbers as <asm-generic/unistd.h> gives them with arm64's __ARCH_WANT_* set
// (syscall_table_generic.cpp: a file of its own, its macros clash with the host's).
const HeaderTable& generic_header_numbers();

}  // namespace jk::launcher::sys::testing
