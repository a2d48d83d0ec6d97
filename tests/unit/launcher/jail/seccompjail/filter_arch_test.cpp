// The seccompjail notify filter built for each architecture, run by the BPF interpreter
// (tests/unit/launcher/sys/bpf_run.h): the same routing on x86_64 and aarch64 with each one's
// syscall numbers and foreign ABIs. No kernel feature needed, so this also runs under qemu-user
// in the arm64 cross build (filter_test.cpp installs the native filter for real).
#include <linux/audit.h>
#include <linux/netlink.h>
#include <linux/seccomp.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <gtest/gtest.h>

#include <cerrno>
#include <cstdint>
#include <ostream>
#include <string>

#include "launcher/jail/seccompjail/filter.h"
#include "tests/unit/launcher/sys/bpf_run.h"

namespace jk::launcher::jail {
namespace {

using sys::SeccompArch;
using sys::Syscall;
using sys::testing::ArchCase;
using sys::testing::getpid_number;
using sys::testing::refused;
using sys::testing::run_seccomp_program;
using sys::testing::seccomp_call;

constexpr std::uint32_t kAllow = SECCOMP_RET_ALLOW;
constexpr std::uint32_t kNotify = SECCOMP_RET_USER_NOTIF;

class SeccompjailFilterPerArch : public ::testing::TestWithParam<ArchCase> {
 protected:
  const SeccompArch& arch() const { return *GetParam().arch; }
  std::uint32_t run_raw(std::uint32_t audit_arch, std::uint32_t nr,
                        const std::array<std::uint64_t, 6>& args = {}) {
    auto verdict =
        run_seccomp_program(build_seccompjail_filter(arch()), seccomp_call(audit_arch, nr, args));
    EXPECT_TRUE(verdict.ok()) << verdict.error().message;
    return verdict.ok() ? *verdict : 0xdeadU;
  }
  std::uint32_t run(Syscall call, const std::array<std::uint64_t, 6>& args = {}) {
    return run_raw(arch().audit_arch, arch().nr(call), args);
  }
};

TEST_P(SeccompjailFilterPerArch, RefusesEveryOtherAbi) {
  for (const std::uint32_t foreign : GetParam().foreign_archs) {
    EXPECT_EQ(run_raw(foreign, getpid_number(arch())), refused(EPERM))
        << arch().name << " filter, arch 0x" << std::hex << foreign;
    // Not even the notified calls reach the broker from another ABI.
    EXPECT_EQ(run_raw(foreign, arch().nr(Syscall::kConnect)), refused(EPERM));
  }
  if (arch().foreign_abi_bit != 0) {  // x32
    EXPECT_EQ(run_raw(arch().audit_arch, arch().foreign_abi_bit | arch().nr(Syscall::kConnect)),
              refused(EPERM));
  }
  EXPECT_EQ(run_raw(arch().audit_arch, getpid_number(arch())), kAllow);
}

TEST_P(SeccompjailFilterPerArch, RoutesAddressCarryingCallsToTheBroker) {
  EXPECT_EQ(run(Syscall::kConnect), kNotify);
  EXPECT_EQ(run(Syscall::kSendmsg), kNotify);
  EXPECT_EQ(run(Syscall::kSendmmsg), kNotify);
  EXPECT_EQ(run(Syscall::kListen), kNotify);
  EXPECT_EQ(run(Syscall::kSendto, {3, 0x1000, 1, 0, 0, 0}), kAllow);  // no address
  EXPECT_EQ(run(Syscall::kSendto, {3, 0x1000, 1, 0, 0x2000, 16}), kNotify);
  EXPECT_EQ(run(Syscall::kSendto, {3, 0x1000, 1, 0, 1ULL << 32, 16}), kNotify);  // high word only
}

TEST_P(SeccompjailFilterPerArch, RefusesRawPacketAndForeignNetlinkSockets) {
  struct Row {
    std::array<std::uint64_t, 6> args;
    std::uint32_t expected;
  };
  const Row rows[] = {
      {{AF_PACKET, SOCK_RAW, 0}, refused(EACCES)},
      {{AF_INET, SOCK_RAW, IPPROTO_ICMP}, refused(EACCES)},
      {{AF_INET6, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, 58}, refused(EACCES)},
      {{AF_INET, SOCK_PACKET, 0}, refused(EACCES)},
      {{AF_NETLINK, SOCK_RAW, NETLINK_AUDIT}, refused(EACCES)},
      {{AF_NETLINK, SOCK_RAW, NETLINK_ROUTE}, kAllow},
      {{AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0}, kAllow},
      {{AF_INET, SOCK_DGRAM, 0}, kAllow},
      {{AF_UNIX, SOCK_STREAM, 0}, kAllow},
  };
  for (const Row& row : rows) {
    EXPECT_EQ(run(Syscall::kSocket, row.args), row.expected)
        << arch().name << " socket(" << row.args[0] << ", " << row.args[1] << ", " << row.args[2];
  }
  EXPECT_EQ(run(Syscall::kIoUringSetup), refused(ENOSYS));
}

INSTANTIATE_TEST_SUITE_P(
    Architectures, SeccompjailFilterPerArch,
    ::testing::Values(ArchCase{&sys::kX86_64, {AUDIT_ARCH_I386, AUDIT_ARCH_AARCH64}},
                      ArchCase{&sys::kAarch64, {AUDIT_ARCH_ARM, AUDIT_ARCH_X86_64}}),
    [](const ::testing::TestParamInfo<ArchCase>& p) { return std::string(p.param.arch->name); });

}  // namespace
}  // namespace jk::launcher::jail
