// The seccompjail BPF program, run for real: each case runs in a forked child that installs the
// filter and closes the listener, so a call the filter hands to the launcher fails with ENOSYS
// (nobody is listening), a refused call fails with the filter's errno, an allowed call works.
#include <linux/netlink.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <functional>
#include <string>

#include <gtest/gtest.h>

#include "launcher/jail/seccompjail/filter.h"
#include "launcher/sys/lockdown.h"
#include "launcher/sys/seccomp_notify.h"
#include "tests/unit/launcher/sys/child.h"

namespace jk::launcher::sys {
namespace {

constexpr int kNotified = ENOSYS;  // what a notified call returns once the listener is gone
constexpr int kSetupFailed = 100;
#if defined(__x86_64__)
constexpr long kX32Bit = 0x40000000L;
constexpr long kI386Getpid = 20;
#endif

struct Case {
  std::string name;
  std::function<long()> call;  // returns < 0 with errno set on failure
  int expected_errno;          // 0: the call succeeds
};

#if defined(__x86_64__)
long i386_getpid() {
  long ret = kI386Getpid;
  __asm__ volatile("int $0x80" : "+a"(ret) : : "memory");
  if (ret < 0) {
    errno = static_cast<int>(-ret);
    return -1;
  }
  return ret;
}
#endif

long make_socket(int domain, int type, int protocol) {
  const int fd = ::socket(domain, type, protocol);
  if (fd >= 0) ::close(fd);
  return fd;
}

sockaddr_in loopback(std::uint16_t port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return a;
}

long connect_loopback() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  const sockaddr_in to = loopback(1);
  return ::connect(fd, reinterpret_cast<const sockaddr*>(&to), sizeof(to));  // NOLINT
}

long sendto_pair(bool with_address) {
  int fds[2];
  if (::socketpair(AF_UNIX, SOCK_DGRAM, 0, fds) != 0) return -1;
  const sockaddr_in to = loopback(1);
  const auto* address = with_address ? reinterpret_cast<const sockaddr*>(&to) : nullptr;  // NOLINT
  return ::sendto(fds[0], "x", 1, 0, address, with_address ? sizeof(to) : 0);
}

long sendmsg_pair() {
  int fds[2];
  if (::socketpair(AF_UNIX, SOCK_DGRAM, 0, fds) != 0) return -1;
  char byte = 'x';
  iovec iov{&byte, 1};
  msghdr m{};
  m.msg_iov = &iov;
  m.msg_iovlen = 1;
  return ::sendmsg(fds[0], &m, 0);
}

long sendmmsg_pair() {
  int fds[2];
  if (::socketpair(AF_UNIX, SOCK_DGRAM, 0, fds) != 0) return -1;
  char byte = 'x';
  iovec iov{&byte, 1};
  mmsghdr m{};
  m.msg_hdr.msg_iov = &iov;
  m.msg_hdr.msg_iovlen = 1;
  return ::sendmmsg(fds[0], &m, 1, 0);
}

// Runs `call` under the filter in a child; returns the errno it failed with, 0 on success.
int errno_under_filter(const std::function<long()>& call) {
  return testing::run_in_child([&call] {
    if (!set_no_new_privs().ok()) return kSetupFailed;
    auto listener = install_notify_filter(jail::build_seccompjail_filter());
    if (!listener.ok()) return kSetupFailed;
    listener->reset();
    errno = 0;
    return call() < 0 ? errno : 0;
  });
}

TEST(SeccompjailFilter, RoutesAddressCarryingCallsToTheLauncherAndRefusesEscapeHatches) {
  const Case cases[] = {
    {"connect is notified", connect_loopback, kNotified},
    {"sendto with an address is notified", [] { return sendto_pair(true); }, kNotified},
    {"sendto without an address runs", [] { return sendto_pair(false); }, 0},
    {"sendmsg is notified (its address is in memory)", sendmsg_pair, kNotified},
    {"sendmmsg is notified", sendmmsg_pair, kNotified},
    {"AF_PACKET socket", [] { return make_socket(AF_PACKET, SOCK_RAW, 0); }, EACCES},
    {"raw IPv4 socket", [] { return make_socket(AF_INET, SOCK_RAW, IPPROTO_ICMP); }, EACCES},
    {"raw IPv6 socket with flags",
     [] { return make_socket(AF_INET6, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, 58); }, EACCES},
    {"SOCK_PACKET", [] { return make_socket(AF_INET, SOCK_PACKET, 0); }, EACCES},
    {"netlink audit", [] { return make_socket(AF_NETLINK, SOCK_RAW, NETLINK_AUDIT); }, EACCES},
    {"netlink netfilter", [] { return make_socket(AF_NETLINK, SOCK_RAW, NETLINK_NETFILTER); },
     EACCES},
    {"netlink route (read-only without CAP_NET_ADMIN)",
     [] { return make_socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE); }, 0},
    {"TCP socket", [] { return make_socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0); }, 0},
    {"UDP socket", [] { return make_socket(AF_INET, SOCK_DGRAM, 0); }, 0},
    {"unix socket", [] { return make_socket(AF_UNIX, SOCK_STREAM, 0); }, 0},
    {"io_uring_setup", [] { return ::syscall(SYS_io_uring_setup, 1, nullptr); }, ENOSYS},
#if defined(__x86_64__)
    {"x32 syscall number", [] { return ::syscall(kX32Bit | SYS_getpid); }, EPERM},
#endif
    {"ordinary syscall", [] { return static_cast<long>(::getpid()); }, 0},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(errno_under_filter(c.call), c.expected_errno) << c.name;
  }
}

// The compat ABI of the CPU (i386 on x86_64, AArch32 on arm64) entered for real. On arm64 an
// AArch32 syscall needs a 32-bit process (and many arm64 CPUs, Graviton 3 among them, run none):
// filter_arch_test.cpp checks that the filter refuses AUDIT_ARCH_ARM.
TEST(SeccompjailFilter, I386EntryIsRefused) {
#if !defined(__x86_64__)
  GTEST_SKIP() << "no i386 entry on this architecture; AUDIT_ARCH_ARM: filter_arch_test.cpp";
#else
  if (testing::run_in_child([] { return i386_getpid() == ::getpid() ? 0 : 1; }) != 0) {
    GTEST_SKIP() << "no IA32 emulation in this kernel (int $0x80 does not work unjailed)";
  }
  EXPECT_EQ(errno_under_filter(i386_getpid), EPERM);
#endif
}

TEST(SeccompjailFilter, NeedsNoNewPrivsWithoutCapSysAdmin) {
  // With CAP_SYS_ADMIN (root here) the kernel allows a filter without no_new_privs; the
  // launcher always sets no_new_privs first, so only check the program loads at all.
  const int rc = testing::run_in_child([] {
    if (!set_no_new_privs().ok()) return kSetupFailed;
    return install_notify_filter(jail::build_seccompjail_filter()).ok() ? 0 : 1;
  });
  EXPECT_EQ(rc, 0);
}

}  // namespace
}  // namespace jk::launcher::sys
