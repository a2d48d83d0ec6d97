// The deny-list built for each architecture, run by the BPF interpreter (bpf_run.h): the same
// decisions on x86_64 and aarch64, each with its own syscall numbers and its own foreign ABIs.
// No kernel feature needed, so this also runs under qemu-user in the arm64 cross build
// (seccomp_filter_test.cpp installs the native filter for real).
#include <linux/audit.h>
#include <linux/netlink.h>
#include <linux/seccomp.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <sys/socket.h>

#include <gtest/gtest.h>

#include <cerrno>
#include <cstdint>
#include <ostream>
#include <string>

#include "launcher/sys/seccomp_filter.h"
#include "tests/unit/launcher/sys/bpf_run.h"

namespace jk::launcher::sys {
namespace {

using testing::ArchCase;
using testing::getpid_number;
using testing::refused;
using testing::run_seccomp_program;
using testing::seccomp_call;

constexpr std::uint32_t kAllow = SECCOMP_RET_ALLOW;
constexpr std::uint32_t kKill = SECCOMP_RET_KILL_PROCESS;

class DenyFilterPerArch : public ::testing::TestWithParam<ArchCase> {
 protected:
  const SeccompArch& arch() const { return *GetParam().arch; }
  std::uint32_t run(SocketPolicy policy, Syscall call,
                    const std::array<std::uint64_t, 6>& args = {}) {
    return run_nr(policy, arch().nr(call), args);
  }
  std::uint32_t run_nr(SocketPolicy policy, std::uint32_t nr,
                       const std::array<std::uint64_t, 6>& args = {}) {
    auto verdict = run_seccomp_program(build_deny_filter(policy, arch()),
                                       seccomp_call(arch().audit_arch, nr, args));
    EXPECT_TRUE(verdict.ok()) << verdict.error().message;
    return verdict.ok() ? *verdict : 0xdeadU;
  }
};

TEST_P(DenyFilterPerArch, KillsEveryOtherAbi) {
  for (const SocketPolicy policy : {SocketPolicy::kTcpUdp, SocketPolicy::kTcpOnly}) {
    const auto program = build_deny_filter(policy, arch());
    for (const std::uint32_t foreign : GetParam().foreign_archs) {
      auto verdict = run_seccomp_program(program, seccomp_call(foreign, getpid_number(arch())));
      ASSERT_TRUE(verdict.ok()) << verdict.error().message;
      EXPECT_EQ(*verdict, kKill) << arch().name << " filter, arch 0x" << std::hex << foreign;
    }
    if (arch().foreign_abi_bit != 0) {  // x32: same audit arch, numbers above the bit
      EXPECT_EQ(run_nr(policy, arch().foreign_abi_bit | getpid_number(arch())), kKill);
    }
    EXPECT_EQ(run_nr(policy, getpid_number(arch())), kAllow);
  }
}

TEST_P(DenyFilterPerArch, RefusesTheEscapeSyscallsByTheirNumberOnThisArch) {
  const std::pair<Syscall, int> denied[] = {
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
  for (const auto& [call, error] : denied) {
    EXPECT_EQ(run(SocketPolicy::kTcpUdp, call), refused(error))
        << arch().name << " syscall " << arch().nr(call);
  }
}

TEST_P(DenyFilterPerArch, CloneIsRefusedOnlyWithANamespaceFlag) {
  EXPECT_EQ(run(SocketPolicy::kTcpUdp, Syscall::kClone, {CLONE_NEWNET | SIGCHLD}), refused(EPERM));
  EXPECT_EQ(run(SocketPolicy::kTcpUdp, Syscall::kClone, {CLONE_NEWUSER}), refused(EPERM));
  EXPECT_EQ(run(SocketPolicy::kTcpUdp, Syscall::kClone, {CLONE_VM | CLONE_THREAD | SIGCHLD}),
            kAllow);
}

TEST_P(DenyFilterPerArch, SocketAllowlistAndListenFollowThePolicy) {
  struct Row {
    std::array<std::uint64_t, 6> args;
    std::uint32_t tcp_udp;
    std::uint32_t tcp_only;
  };
  const Row sockets[] = {
      {{AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0}, kAllow, kAllow},
      {{AF_INET6, SOCK_STREAM, IPPROTO_TCP}, kAllow, kAllow},
      {{AF_INET, SOCK_DGRAM, 0}, kAllow, refused(EACCES)},
      {{AF_INET6, SOCK_DGRAM, IPPROTO_UDP}, kAllow, refused(EACCES)},
      {{AF_INET, SOCK_RAW, IPPROTO_ICMP}, refused(EACCES), refused(EACCES)},
      {{AF_INET, SOCK_STREAM, IPPROTO_SCTP}, refused(EACCES), refused(EACCES)},
      {{AF_PACKET, SOCK_RAW, 0}, refused(EACCES), refused(EACCES)},
      {{AF_NETLINK, SOCK_RAW, NETLINK_ROUTE}, kAllow, kAllow},
      {{AF_NETLINK, SOCK_RAW, NETLINK_AUDIT}, refused(EACCES), refused(EACCES)},
      {{AF_UNIX, SOCK_DGRAM, 0}, kAllow, kAllow},
      {{AF_VSOCK, SOCK_STREAM, 0}, refused(EACCES), refused(EACCES)},
  };
  for (const Row& row : sockets) {
    EXPECT_EQ(run(SocketPolicy::kTcpUdp, Syscall::kSocket, row.args), row.tcp_udp)
        << arch().name << " socket(" << row.args[0] << ", " << row.args[1] << ", " << row.args[2];
    EXPECT_EQ(run(SocketPolicy::kTcpOnly, Syscall::kSocket, row.args), row.tcp_only)
        << arch().name << " socket(" << row.args[0] << ", " << row.args[1] << ", " << row.args[2];
  }
  EXPECT_EQ(run(SocketPolicy::kTcpUdp, Syscall::kSocketpair, {AF_UNIX, SOCK_STREAM}), kAllow);
  EXPECT_EQ(run(SocketPolicy::kTcpUdp, Syscall::kSocketpair, {AF_INET, SOCK_STREAM}),
            refused(EACCES));
  EXPECT_EQ(run(SocketPolicy::kTcpUdp, Syscall::kListen), kAllow);
  EXPECT_EQ(run(SocketPolicy::kTcpOnly, Syscall::kListen), refused(EACCES));
}

INSTANTIATE_TEST_SUITE_P(
    Architectures, DenyFilterPerArch,
    ::testing::Values(ArchCase{&kX86_64, {AUDIT_ARCH_I386, AUDIT_ARCH_AARCH64}},
                      ArchCase{&kAarch64, {AUDIT_ARCH_ARM, AUDIT_ARCH_X86_64}}),
    [](const ::testing::TestParamInfo<ArchCase>& p) { return std::string(p.param.arch->name); });

}  // namespace
}  // namespace jk::launcher::sys
