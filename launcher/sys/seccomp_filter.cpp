#include "launcher/sys/seccomp_filter.h"

#include <linux/audit.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <utility>

namespace jk::launcher::sys {
namespace {

constexpr std::uint32_t kX32SyscallBit = 0x40000000U;
constexpr std::uint32_t kCloneNamespaceFlags = CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS |
                                               CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID |
                                               CLONE_NEWNET | CLONE_NEWTIME;
constexpr std::uint32_t kDataMask = SECCOMP_RET_DATA;

constexpr std::uint32_t errno_action(int error) {
  return SECCOMP_RET_ERRNO | (static_cast<std::uint32_t>(error) & kDataMask);
}

// Syscalls refused outright, with the errno the agent sees.
const std::pair<long, int> kDenied[] = {
    {SYS_unshare, EPERM},
    {SYS_setns, EPERM},
    {SYS_mount, EPERM},
    {SYS_umount2, EPERM},
    {SYS_pivot_root, EPERM},
    {SYS_chroot, EPERM},
    {SYS_move_mount, EPERM},
    {SYS_open_tree, EPERM},
    {SYS_fsopen, EPERM},
    {SYS_fsmount, EPERM},
    {SYS_fsconfig, EPERM},
    {SYS_fspick, EPERM},
    {SYS_mount_setattr, EPERM},
    {SYS_ptrace, EPERM},
    {SYS_bpf, EPERM},
    {SYS_perf_event_open, EPERM},
    {SYS_keyctl, EPERM},
    {SYS_add_key, EPERM},
    {SYS_request_key, EPERM},
    {SYS_kexec_load, EPERM},
    {SYS_kexec_file_load, EPERM},
    {SYS_init_module, EPERM},
    {SYS_finit_module, EPERM},
    {SYS_delete_module, EPERM},
    {SYS_reboot, EPERM},
    {SYS_swapon, EPERM},
    {SYS_swapoff, EPERM},
    {SYS_userfaultfd, EPERM},
    {SYS_open_by_handle_at, EPERM},
    {SYS_acct, EPERM},
    {SYS_clone3, ENOSYS},
    {SYS_io_uring_setup, ENOSYS},
    {SYS_io_uring_enter, ENOSYS},
    {SYS_io_uring_register, ENOSYS},
};

sock_filter statement(std::uint16_t code, std::uint32_t k) { return BPF_STMT(code, k); }
sock_filter jump(std::uint16_t code, std::uint32_t k, std::uint8_t if_true, std::uint8_t if_false) {
  return BPF_JUMP(code, k, if_true, if_false);
}

void load_field(BpfProgram& p, std::size_t offset) {
  p.push_back(statement(BPF_LD | BPF_W | BPF_ABS, static_cast<std::uint32_t>(offset)));
}

void deny_if(BpfProgram& p, long nr, std::uint32_t action) {
  p.push_back(jump(BPF_JMP | BPF_JEQ | BPF_K, static_cast<std::uint32_t>(nr), 0, 1));
  p.push_back(statement(BPF_RET | BPF_K, action));
}

// clone(flags, ...): flags is the first argument on x86_64; the low 32 bits hold CLONE_NEW*.
void deny_namespace_clone(BpfProgram& p) {
  p.push_back(jump(BPF_JMP | BPF_JEQ | BPF_K, SYS_clone, 0, 3));
  load_field(p, offsetof(seccomp_data, args[0]));
  p.push_back(jump(BPF_JMP | BPF_JSET | BPF_K, kCloneNamespaceFlags, 0, 1));
  p.push_back(statement(BPF_RET | BPF_K, errno_action(EPERM)));
}

// socket(domain, type, protocol): only TCP (and non-IP families other than AF_PACKET) may be
// created. Returns directly for socket(), so the accumulator is only clobbered on that path.
void allow_only_stream_sockets(BpfProgram& p) {
  constexpr std::uint32_t kTypeMask = 0xf;  // SOCK_NONBLOCK/SOCK_CLOEXEC live above it
  constexpr std::uint8_t kBlockLength = 11;
  const std::uint32_t refuse = errno_action(EACCES);
  p.push_back(jump(BPF_JMP | BPF_JEQ | BPF_K, SYS_socket, 0, kBlockLength));
  load_field(p, offsetof(seccomp_data, args[0]));
  p.push_back(jump(BPF_JMP | BPF_JEQ | BPF_K, AF_PACKET, 0, 1));
  p.push_back(statement(BPF_RET | BPF_K, refuse));
  p.push_back(jump(BPF_JMP | BPF_JEQ | BPF_K, AF_INET, 2, 0));
  p.push_back(jump(BPF_JMP | BPF_JEQ | BPF_K, AF_INET6, 1, 0));
  p.push_back(statement(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));
  load_field(p, offsetof(seccomp_data, args[1]));
  p.push_back(statement(BPF_ALU | BPF_AND | BPF_K, kTypeMask));
  p.push_back(jump(BPF_JMP | BPF_JEQ | BPF_K, SOCK_STREAM, 0, 1));
  p.push_back(statement(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));
  p.push_back(statement(BPF_RET | BPF_K, refuse));
}

}  // namespace

BpfProgram build_deny_filter(bool stream_sockets_only) {
  BpfProgram p;
  load_field(p, offsetof(seccomp_data, arch));
  p.push_back(jump(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0));
  p.push_back(statement(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS));
  load_field(p, offsetof(seccomp_data, nr));
  p.push_back(jump(BPF_JMP | BPF_JGE | BPF_K, kX32SyscallBit, 0, 1));
  p.push_back(statement(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS));
  for (const auto& [nr, error] : kDenied) deny_if(p, nr, errno_action(error));
  if (stream_sockets_only) allow_only_stream_sockets(p);
  deny_namespace_clone(p);  // must stay last: it replaces the loaded syscall number
  p.push_back(statement(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));
  return p;
}

Status install_seccomp_filter(const BpfProgram& program) {
  sock_fprog fprog{};
  fprog.len = static_cast<unsigned short>(program.size());
  fprog.filter = const_cast<sock_filter*>(program.data());  // NOLINT: the kernel only reads it
  if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fprog) != 0) {
    return make_error(std::string("seccomp(SET_MODE_FILTER): ") + std::strerror(errno));
  }
  return {};
}

}  // namespace jk::launcher::sys
