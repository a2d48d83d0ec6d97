#include "launcher/jail/seccompjail/filter.h"

#include <linux/audit.h>
#include <linux/netlink.h>
#include <linux/seccomp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>

#include "launcher/sys/seccomp_arch.h"

namespace jk::launcher::jail {
namespace {

using sys::SeccompArch;
using sys::Syscall;

constexpr std::uint32_t kSocketTypeMask = 0xfU;  // SOCK_TYPE_MASK: type without NONBLOCK/CLOEXEC
constexpr std::uint32_t kOffsetNr = offsetof(seccomp_data, nr);
constexpr std::uint32_t kOffsetArch = offsetof(seccomp_data, arch);

// Low / high 32 bits of argument i (x86_64 and aarch64 Linux are both little endian).
constexpr std::uint32_t arg_low(int i) {
  return static_cast<std::uint32_t>(offsetof(seccomp_data, args) + 8U * static_cast<unsigned>(i));
}
constexpr std::uint32_t arg_high(int i) { return arg_low(i) + 4U; }

sock_filter stmt(std::uint16_t code, std::uint32_t k) { return BPF_STMT(code, k); }
sock_filter jump(std::uint16_t code, std::uint32_t k, std::uint8_t jt, std::uint8_t jf) {
  return BPF_JUMP(code, k, jt, jf);
}
sock_filter load(std::uint32_t offset) { return stmt(BPF_LD | BPF_W | BPF_ABS, offset); }
sock_filter ret(std::uint32_t action) { return stmt(BPF_RET | BPF_K, action); }
sock_filter ret_errno(int err) {
  return ret(SECCOMP_RET_ERRNO | (static_cast<std::uint32_t>(err) & SECCOMP_RET_DATA));
}
// if (A == k) fall through to the next instruction, else skip `skip` instructions.
sock_filter if_equal(std::uint32_t k, std::uint8_t skip) {
  return jump(BPF_JMP | BPF_JEQ | BPF_K, k, 0, skip);
}
std::uint32_t u32(int value) { return static_cast<std::uint32_t>(value); }

void append(std::vector<sock_filter>& out, std::initializer_list<sock_filter> part) {
  out.insert(out.end(), part.begin(), part.end());
}

// Arch check, x32 check (x86_64 only), then A = syscall number.
void append_header(std::vector<sock_filter>& p, const SeccompArch& arch) {
  append(p, {load(kOffsetArch), if_equal(arch.audit_arch, 1), stmt(BPF_JMP | BPF_JA, 1),
             ret_errno(EPERM), load(kOffsetNr)});
  if (arch.foreign_abi_bit != 0) {
    append(p, {jump(BPF_JMP | BPF_JSET | BPF_K, arch.foreign_abi_bit, 0, 1), ret_errno(EPERM)});
  }
}

void append_notified(std::vector<sock_filter>& p, const SeccompArch& arch) {
  const sock_filter notify = ret(SECCOMP_RET_USER_NOTIF);
  append(p,
         {if_equal(arch.nr(Syscall::kConnect), 1), notify, if_equal(arch.nr(Syscall::kSendmsg), 1),
          notify, if_equal(arch.nr(Syscall::kSendmmsg), 1), notify,
          if_equal(arch.nr(Syscall::kListen), 1), notify});
  // sendto: notify unless dest_addr (argument 4) is NULL; then reload the syscall number.
  append(p, {if_equal(arch.nr(Syscall::kSendto), 6), load(arg_low(4)), if_equal(0, 3),
             load(arg_high(4)), if_equal(0, 1), ret(SECCOMP_RET_ALLOW), notify, load(kOffsetNr)});
}

// socket(domain, type, protocol): refused kinds, else allowed.
void append_socket(std::vector<sock_filter>& p, const SeccompArch& arch) {
  const sock_filter refuse = ret_errno(EACCES);
  append(p, {if_equal(arch.nr(Syscall::kSocket), 15),
             load(arg_low(0)),  // domain
             if_equal(u32(AF_PACKET), 1), refuse, if_equal(u32(AF_NETLINK), 4),
             load(arg_low(2)),  // protocol
             if_equal(u32(NETLINK_ROUTE), 1), ret(SECCOMP_RET_ALLOW), refuse,
             load(arg_low(1)),  // type
             stmt(BPF_ALU | BPF_AND | BPF_K, kSocketTypeMask), if_equal(u32(SOCK_RAW), 1), refuse,
             if_equal(u32(SOCK_PACKET), 1), refuse, ret(SECCOMP_RET_ALLOW)});
}

}  // namespace

std::vector<sock_filter> build_seccompjail_filter() {
  return build_seccompjail_filter(sys::native_seccomp_arch());
}

std::vector<sock_filter> build_seccompjail_filter(const sys::SeccompArch& arch) {
  std::vector<sock_filter> p;
  append_header(p, arch);
  append_notified(p, arch);
  append_socket(p, arch);
  append(p,
         {if_equal(arch.nr(Syscall::kIoUringSetup), 1), ret_errno(ENOSYS), ret(SECCOMP_RET_ALLOW)});
  return p;
}

}  // namespace jk::launcher::jail
