#include "launcher/sys/seccomp_filter.h"

#include <fcntl.h>
#include <linux/netlink.h>
#include <linux/sched.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cerrno>
#include <functional>

#include "launcher/sys/lockdown.h"
#include "tests/unit/launcher/sys/child.h"

namespace jk::launcher::sys {
namespace {

constexpr int kSucceeded = 0;
constexpr int kSetupFailed = 200;

// Each attempt returns 0 when the call succeeded, else its errno.
int result_of(long rc) { return rc < 0 ? errno : kSucceeded; }

struct Attempt {
  const char* name;
  std::function<int()> call;
  int expected_errno;
};

int clone_with(unsigned long flags) {
  const long pid = syscall(SYS_clone, flags | SIGCHLD, nullptr, nullptr, nullptr, 0);
  if (pid == 0) _exit(0);
  if (pid > 0) waitpid(static_cast<pid_t>(pid), nullptr, 0);
  return result_of(pid);
}

int try_clone3() {
  clone_args args{};
  args.exit_signal = SIGCHLD;
  const long pid = syscall(SYS_clone3, &args, sizeof(args));
  if (pid == 0) _exit(0);
  if (pid > 0) waitpid(static_cast<pid_t>(pid), nullptr, 0);
  return result_of(pid);
}

// Run as root: without the filter every refused call below would succeed (the capabilities
// are kept on purpose, so only the filter can be the reason).
TEST(DenyFilter, RefusesTheEscapeSyscallsEvenToAProcessWithCapabilities) {
  const Attempt attempts[] = {
      {"unshare(NEWNET)", [] { return result_of(unshare(CLONE_NEWNET)); }, EPERM},
      {"unshare(NEWUSER)", [] { return result_of(unshare(CLONE_NEWUSER)); }, EPERM},
      {"setns", [] { return result_of(setns(open("/proc/1/ns/net", O_RDONLY), 0)); }, EPERM},
      {"mount", [] { return result_of(mount("none", "/mnt", "tmpfs", 0, nullptr)); }, EPERM},
      {"umount2", [] { return result_of(umount2("/proc", MNT_DETACH)); }, EPERM},
      {"clone(NEWNET)", [] { return clone_with(CLONE_NEWNET); }, EPERM},
      {"clone(NEWPID)", [] { return clone_with(CLONE_NEWPID); }, EPERM},
      {"clone3", try_clone3, ENOSYS},
      {"io_uring_setup", [] { return result_of(syscall(SYS_io_uring_setup, 1, nullptr)); }, ENOSYS},
      {"bpf", [] { return result_of(syscall(SYS_bpf, 0, nullptr, 0)); }, EPERM},
      {"ptrace(attach 1)", [] { return result_of(syscall(SYS_ptrace, 16, 1, 0, 0)); }, EPERM},
      {"init_module", [] { return result_of(syscall(SYS_init_module, nullptr, 0, "")); }, EPERM},
      {"keyctl", [] { return result_of(syscall(SYS_keyctl, 0, 0, 0, 0, 0)); }, EPERM},
  };
  for (const auto& attempt : attempts) {
    const int got = testing::run_in_child([&] {
      LockdownOptions keep_capabilities;
      keep_capabilities.drop_capabilities = false;
      if (!lockdown(keep_capabilities).ok()) return kSetupFailed;
      return attempt.call();
    });
    EXPECT_EQ(got, attempt.expected_errno) << attempt.name << ": got errno " << got;
  }
}

TEST(DenyFilter, AllowsOrdinaryWork) {
  const Attempt attempts[] = {
      {"fork", [] { return clone_with(0); }, kSucceeded},
      {"getpid", [] { return result_of(getpid()); }, kSucceeded},
      {"prctl(no_new_privs)", [] { return result_of(prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0)); },
       kSucceeded},
  };
  for (const auto& attempt : attempts) {
    const int got = testing::run_in_child([&] {
      if (!lockdown(LockdownOptions{}).ok()) return kSetupFailed;
      return attempt.call();
    });
    EXPECT_EQ(got, attempt.expected_errno) << attempt.name;
  }
}

int socketpair_result(int domain, int type) {
  int fds[2] = {-1, -1};
  const int rc = socketpair(domain, type, 0, fds);
  if (rc == 0) {
    close(fds[0]);
    close(fds[1]);
  }
  return result_of(rc);
}

int listen_result(int domain) {
  const int fd = socket(domain, SOCK_STREAM, 0);
  if (fd < 0) return errno;
  const int rc = domain == AF_UNIX ? -1 : listen(fd, 1);
  const int err = domain == AF_UNIX ? 0 : result_of(rc);
  close(fd);
  return err;
}

// Families, types and protocols: the allowlist is default deny, so every row that is neither TCP,
// UDP (kTcpUdp), AF_UNIX nor NETLINK_ROUTE must be refused, whatever the kernel would say.
// Run as root with capabilities kept: CAP_NET_RAW etc. would allow the refused ones.
struct SocketCase {
  const char* name;
  long long domain;
  int type;
  int protocol;
  int tcp_udp;   // expected errno under SocketPolicy::kTcpUdp (0: created)
  int tcp_only;  // expected errno under SocketPolicy::kTcpOnly
};

#ifndef IPPROTO_MPTCP
#define IPPROTO_MPTCP 262
#endif
#ifndef AF_XDP
#define AF_XDP 44
#endif
#ifndef AF_MCTP
#define AF_MCTP 45
#endif

const SocketCase kSocketCases[] = {
    {"tcp4", AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0, 0, 0},
    {"tcp4 explicit", AF_INET, SOCK_STREAM, IPPROTO_TCP, 0, 0},
    {"tcp6", AF_INET6, SOCK_STREAM | SOCK_NONBLOCK, 0, 0, 0},
    {"udp4", AF_INET, SOCK_DGRAM, 0, 0, EACCES},
    {"udp6 explicit", AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, IPPROTO_UDP, 0, EACCES},
    {"mptcp4", AF_INET, SOCK_STREAM, IPPROTO_MPTCP, EACCES, EACCES},
    {"mptcp6", AF_INET6, SOCK_STREAM | SOCK_NONBLOCK, IPPROTO_MPTCP, EACCES, EACCES},
    {"sctp stream", AF_INET, SOCK_STREAM, IPPROTO_SCTP, EACCES, EACCES},
    {"sctp seqpacket6", AF_INET6, SOCK_SEQPACKET, IPPROTO_SCTP, EACCES, EACCES},
    {"udplite", AF_INET, SOCK_DGRAM, IPPROTO_UDPLITE, EACCES, EACCES},
    {"icmp ping", AF_INET, SOCK_DGRAM, IPPROTO_ICMP, EACCES, EACCES},
    {"icmpv6 ping", AF_INET6, SOCK_DGRAM, IPPROTO_ICMPV6, EACCES, EACCES},
    {"raw", AF_INET, SOCK_RAW, IPPROTO_ICMP, EACCES, EACCES},
    {"raw6", AF_INET6, SOCK_RAW, IPPROTO_RAW, EACCES, EACCES},
    {"dccp", AF_INET, SOCK_DCCP, 0, EACCES, EACCES},
    {"tcp + bits above the protocol", AF_INET, SOCK_STREAM, IPPROTO_TCP | 0x10000, EACCES, EACCES},
    // The kernel reads int arguments: bits above 32 are dropped, the filter compares the low
    // word, so both see AF_PACKET here.
    {"packet with bit 32 set", (1LL << 32) | AF_PACKET, SOCK_RAW, 0, EACCES, EACCES},
    {"tcp4 with bit 32 set", (1LL << 32) | AF_INET, SOCK_STREAM, 0, 0, 0},
    {"packet", AF_PACKET, SOCK_RAW, 0, EACCES, EACCES},
    {"packet dgram", AF_PACKET, SOCK_DGRAM, 0, EACCES, EACCES},
    {"vsock", AF_VSOCK, SOCK_STREAM, 0, EACCES, EACCES},
    {"xdp", AF_XDP, SOCK_RAW, 0, EACCES, EACCES},
    {"alg", AF_ALG, SOCK_SEQPACKET, 0, EACCES, EACCES},
    {"tipc", AF_TIPC, SOCK_RDM, 0, EACCES, EACCES},
    {"rds", AF_RDS, SOCK_SEQPACKET, 0, EACCES, EACCES},
    {"bluetooth", AF_BLUETOOTH, SOCK_STREAM, 0, EACCES, EACCES},
    {"can", AF_CAN, SOCK_RAW, 1, EACCES, EACCES},
    {"kcm", AF_KCM, SOCK_DGRAM, 0, EACCES, EACCES},
    {"mctp", AF_MCTP, SOCK_DGRAM, 0, EACCES, EACCES},
    {"appletalk", AF_APPLETALK, SOCK_DGRAM, 0, EACCES, EACCES},
    {"key", AF_KEY, SOCK_RAW, 2, EACCES, EACCES},
    {"netlink route", AF_NETLINK, SOCK_RAW, NETLINK_ROUTE, 0, 0},
    {"netlink netfilter", AF_NETLINK, SOCK_RAW, NETLINK_NETFILTER, EACCES, EACCES},
    {"netlink audit", AF_NETLINK, SOCK_RAW, NETLINK_AUDIT, EACCES, EACCES},
    {"netlink sock_diag", AF_NETLINK, SOCK_DGRAM, NETLINK_SOCK_DIAG, EACCES, EACCES},
    {"unix stream", AF_UNIX, SOCK_STREAM, 0, 0, 0},
    {"unix dgram", AF_UNIX, SOCK_DGRAM, 0, 0, 0},
    {"unix seqpacket", AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, 0, 0},
    {"family 0x10002 (high bits over AF_INET)", 0x10000 | AF_INET, SOCK_STREAM, 0, EACCES, EACCES},
};

void expect_socket_policy(SocketPolicy policy) {
  for (const auto& c : kSocketCases) {
    const int got = testing::run_in_child([&] {
      LockdownOptions options;
      options.drop_capabilities = false;  // root keeps CAP_NET_RAW etc.: only the filter refuses
      options.sockets = policy;
      if (!lockdown(options).ok()) return kSetupFailed;
      const long fd = syscall(SYS_socket, c.domain, c.type, c.protocol);
      if (fd >= 0) close(static_cast<int>(fd));
      return result_of(fd);
    });
    const int want = policy == SocketPolicy::kTcpUdp ? c.tcp_udp : c.tcp_only;
    EXPECT_EQ(got, want) << c.name << ": got errno " << got;
  }
}

TEST(DenyFilter, TcpUdpPolicyAllowsOnlyTcpUdpUnixAndNetlinkRoute) {
  expect_socket_policy(SocketPolicy::kTcpUdp);
}

TEST(DenyFilter, TcpOnlyPolicyAllowsOnlyTcpUnixAndNetlinkRoute) {
  expect_socket_policy(SocketPolicy::kTcpOnly);
}

TEST(DenyFilter, SocketPairsOnlyInUnixAndTheCheckAfterStillWorks) {
  for (const SocketPolicy policy : {SocketPolicy::kTcpUdp, SocketPolicy::kTcpOnly}) {
    const Attempt attempts[] = {
        {"socketpair unix", [] { return socketpair_result(AF_UNIX, SOCK_STREAM); }, kSucceeded},
        {"socketpair inet", [] { return socketpair_result(AF_INET, SOCK_STREAM); }, EACCES},
        {"socketpair tipc", [] { return socketpair_result(AF_TIPC, SOCK_DGRAM); }, EACCES},
        {"clone(NEWNET)", [] { return clone_with(CLONE_NEWNET); }, EPERM},
        {"fork", [] { return clone_with(0); }, kSucceeded},
    };
    for (const auto& attempt : attempts) {
      const int got = testing::run_in_child([&] {
        LockdownOptions options;
        options.drop_capabilities = false;
        options.sockets = policy;
        if (!lockdown(options).ok()) return kSetupFailed;
        return attempt.call();
      });
      EXPECT_EQ(got, attempt.expected_errno) << attempt.name << ": got errno " << got;
    }
  }
}

// landjail: a listen() on an unbound TCP socket takes an ephemeral port Landlock cannot confine,
// and the filter cannot tell the socket's family, so listen() is refused there.
TEST(DenyFilter, ListenIsRefusedOnlyUnderTcpOnly) {
  for (const SocketPolicy policy : {SocketPolicy::kTcpUdp, SocketPolicy::kTcpOnly}) {
    for (const int domain : {AF_INET, AF_INET6}) {
      const int got = testing::run_in_child([&] {
        LockdownOptions options;
        options.sockets = policy;
        if (!lockdown(options).ok()) return kSetupFailed;
        return listen_result(domain);
      });
      EXPECT_EQ(got, policy == SocketPolicy::kTcpOnly ? EACCES : kSucceeded) << domain;
    }
  }
}

TEST(DenyFilter, ChecksTheArchitectureFirstAndEndsWithAllow) {
  const BpfProgram program = build_deny_filter();
  ASSERT_GT(program.size(), 4U);
  EXPECT_EQ(program.front().code, BPF_LD | BPF_W | BPF_ABS);
  EXPECT_EQ(program.front().k, 4U);  // offsetof(seccomp_data, arch)
  EXPECT_EQ(program.back().code, BPF_RET | BPF_K);
  EXPECT_EQ(program.back().k, 0x7fff0000U);  // SECCOMP_RET_ALLOW
}

}  // namespace
}  // namespace jk::launcher::sys
