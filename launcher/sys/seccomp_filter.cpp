#include "launcher/sys/seccomp_filter.h"

#include <linux/audit.h>
#include <linux/netlink.h>
#include <linux/seccomp.h>
#include <netinet/in.h>
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
#include <vector>

#include "launcher/sys/errno_error.h"
#include "launcher/sys/seccomp_arch.h"

namespace jk::launcher::sys {
namespace {

constexpr std::uint32_t kCloneNamespaceFlags = CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS |
                                               CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID |
                                               CLONE_NEWNET | CLONE_NEWTIME;
constexpr std::uint32_t kDataMask = SECCOMP_RET_DATA;

constexpr std::uint32_t errno_action(int error) {
  return SECCOMP_RET_ERRNO | (static_cast<std::uint32_t>(error) & kDataMask);
}

// Syscalls refused outright, with the errno the agent sees.
const std::pair<Syscall, int> kDenied[] = {
    {Syscall::kUnshare, EPERM},
    {Syscall::kSetns, EPERM},
    {Syscall::kMount, EPERM},
    {Syscall::kUmount2, EPERM},
    {Syscall::kPivotRoot, EPERM},
    {Syscall::kChroot, EPERM},
    {Syscall::kMoveMount, EPERM},
    {Syscall::kOpenTree, EPERM},
    {Syscall::kFsopen, EPERM},
    {Syscall::kFsmount, EPERM},
    {Syscall::kFsconfig, EPERM},
    {Syscall::kFspick, EPERM},
    {Syscall::kMountSetattr, EPERM},
    {Syscall::kPtrace, EPERM},
    {Syscall::kBpf, EPERM},
    {Syscall::kPerfEventOpen, EPERM},
    {Syscall::kKeyctl, EPERM},
    {Syscall::kAddKey, EPERM},
    {Syscall::kRequestKey, EPERM},
    {Syscall::kKexecLoad, EPERM},
    {Syscall::kKexecFileLoad, EPERM},
    {Syscall::kInitModule, EPERM},
    {Syscall::kFinitModule, EPERM},
    {Syscall::kDeleteModule, EPERM},
    {Syscall::kReboot, EPERM},
    {Syscall::kSwapon, EPERM},
    {Syscall::kSwapoff, EPERM},
    {Syscall::kUserfaultfd, EPERM},
    {Syscall::kOpenByHandleAt, EPERM},
    {Syscall::kAcct, EPERM},
    {Syscall::kClone3, ENOSYS},
    {Syscall::kIoUringSetup, ENOSYS},
    {Syscall::kIoUringEnter, ENOSYS},
    {Syscall::kIoUringRegister, ENOSYS},
};

sock_filter statement(std::uint16_t code, std::uint32_t k) { return BPF_STMT(code, k); }
sock_filter jump(std::uint16_t code, std::uint32_t k, std::uint8_t if_true, std::uint8_t if_false) {
  return BPF_JUMP(code, k, if_true, if_false);
}

void load_field(BpfProgram& p, std::size_t offset) {
  p.push_back(statement(BPF_LD | BPF_W | BPF_ABS, static_cast<std::uint32_t>(offset)));
}

void deny_if(BpfProgram& p, std::uint32_t nr, std::uint32_t action) {
  p.push_back(jump(BPF_JMP | BPF_JEQ | BPF_K, nr, 0, 1));
  p.push_back(statement(BPF_RET | BPF_K, action));
}

// clone(flags, ...): flags is the first argument on x86_64 and aarch64 alike (they differ only in
// the order of the tid/tls arguments after it); the low 32 bits hold CLONE_NEW*.
void deny_namespace_clone(BpfProgram& p, const SeccompArch& arch) {
  p.push_back(jump(BPF_JMP | BPF_JEQ | BPF_K, arch.nr(Syscall::kClone), 0, 3));
  load_field(p, offsetof(seccomp_data, args[0]));
  p.push_back(jump(BPF_JMP | BPF_JSET | BPF_K, kCloneNamespaceFlags, 0, 1));
  p.push_back(statement(BPF_RET | BPF_K, errno_action(EPERM)));
}

// The program below is emitted with forward jumps to labels, resolved when a block is done
// (classic BPF jumps are relative and at most 255 instructions forward).
class Block {
 public:
  explicit Block(BpfProgram& p) : p_(p) {}
  // if (A == k) goto label; else fall through.
  void jump_if(std::uint32_t k, int label) {
    fixups_.push_back({p_.size(), label});
    p_.push_back(jump(BPF_JMP | BPF_JEQ | BPF_K, k, 0, 0));
  }
  void ret(std::uint32_t action) { p_.push_back(statement(BPF_RET | BPF_K, action)); }
  void load_low_arg(int i) {
    load_field(p_,
               offsetof(seccomp_data, args) + sizeof(std::uint64_t) * static_cast<std::size_t>(i));
  }
  void mask(std::uint32_t bits) { p_.push_back(statement(BPF_ALU | BPF_AND | BPF_K, bits)); }
  void label(int id) { labels_.push_back({id, p_.size()}); }
  void resolve() {
    for (const auto& [at, id] : fixups_) {
      for (const auto& [lid, target] : labels_) {
        if (lid == id) p_[at].jt = static_cast<std::uint8_t>(target - at - 1);
      }
    }
  }

 private:
  BpfProgram& p_;
  std::vector<std::pair<std::size_t, int>> fixups_;
  std::vector<std::pair<int, std::size_t>> labels_;
};

constexpr std::uint32_t u32(int v) { return static_cast<std::uint32_t>(v); }
constexpr std::uint32_t kSocketTypeMask = 0xf;  // SOCK_NONBLOCK/SOCK_CLOEXEC live above it

// socket(domain, type, protocol), socketpair(domain, ...) and, for kTcpOnly, listen(). Every
// path returns, so the accumulator (clobbered by the argument loads) is never used again.
void socket_allowlist(BpfProgram& p, SocketPolicy policy, const SeccompArch& arch) {
  enum { kSocket, kSocketPair, kNetlink, kInet, kStream, kDgram, kAllow };
  const std::uint32_t refuse = errno_action(EACCES);
  Block b(p);
  b.jump_if(arch.nr(Syscall::kSocket), kSocket);
  b.jump_if(arch.nr(Syscall::kSocketpair), kSocketPair);
  if (policy == SocketPolicy::kTcpOnly) {
    p.push_back(jump(BPF_JMP | BPF_JEQ | BPF_K, arch.nr(Syscall::kListen), 0, 1));
    b.ret(refuse);
  }
  const std::size_t skip_at = p.size();  // any other syscall: jump past this block
  p.push_back(statement(BPF_JMP | BPF_JA, 0));

  b.label(kSocketPair);
  b.load_low_arg(0);
  b.jump_if(u32(AF_UNIX), kAllow);
  b.ret(refuse);

  b.label(kSocket);
  b.load_low_arg(0);
  b.jump_if(u32(AF_UNIX), kAllow);
  b.jump_if(u32(AF_INET), kInet);
  b.jump_if(u32(AF_INET6), kInet);
  b.jump_if(u32(AF_NETLINK), kNetlink);
  b.ret(refuse);

  b.label(kNetlink);
  b.load_low_arg(2);
  b.jump_if(u32(NETLINK_ROUTE), kAllow);
  b.ret(refuse);

  b.label(kInet);
  b.load_low_arg(1);
  b.mask(kSocketTypeMask);
  b.jump_if(u32(SOCK_STREAM), kStream);
  if (policy == SocketPolicy::kTcpUdp) b.jump_if(u32(SOCK_DGRAM), kDgram);
  b.ret(refuse);

  b.label(kStream);
  b.load_low_arg(2);
  b.jump_if(0, kAllow);
  b.jump_if(u32(IPPROTO_TCP), kAllow);
  b.ret(refuse);

  b.label(kDgram);
  b.load_low_arg(2);
  b.jump_if(0, kAllow);
  b.jump_if(u32(IPPROTO_UDP), kAllow);
  b.ret(refuse);

  b.label(kAllow);
  b.ret(SECCOMP_RET_ALLOW);
  b.resolve();
  p[skip_at].k = static_cast<std::uint32_t>(p.size() - skip_at - 1);
}

}  // namespace

BpfProgram build_deny_filter(SocketPolicy sockets) {
  return build_deny_filter(sockets, native_seccomp_arch());
}

BpfProgram build_deny_filter(SocketPolicy sockets, const SeccompArch& arch) {
  BpfProgram p;
  load_field(p, offsetof(seccomp_data, arch));
  p.push_back(jump(BPF_JMP | BPF_JEQ | BPF_K, arch.audit_arch, 1, 0));
  p.push_back(statement(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS));
  load_field(p, offsetof(seccomp_data, nr));
  if (arch.foreign_abi_bit != 0) {  // x32: every number at or above the bit
    p.push_back(jump(BPF_JMP | BPF_JGE | BPF_K, arch.foreign_abi_bit, 0, 1));
    p.push_back(statement(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS));
  }
  for (const auto& [call, error] : kDenied) deny_if(p, arch.nr(call), errno_action(error));
  socket_allowlist(p, sockets, arch);  // reloads the syscall number only on paths that return
  deny_namespace_clone(p, arch);       // must stay last: it replaces the loaded syscall number
  p.push_back(statement(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));
  return p;
}

Status install_seccomp_filter(const BpfProgram& program) {
  sock_fprog fprog{};
  fprog.len = static_cast<unsigned short>(program.size());
  fprog.filter = const_cast<sock_filter*>(program.data());  // NOLINT: the kernel only reads it
  if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fprog) != 0) {
    return errno_error("seccomp(SET_MODE_FILTER)");
  }
  return {};
}

}  // namespace jk::launcher::sys
