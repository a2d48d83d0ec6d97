#include "launcher/sys/seccomp_filter.h"

#include <fcntl.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <netinet/in.h>
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

int socket_result(int domain, int type, int protocol) {
  const int fd = socket(domain, type, protocol);
  if (fd >= 0) close(fd);
  return result_of(fd);
}

// landjail's filter: Landlock ABI 4 covers TCP only, so everything else that could carry IP
// traffic must fail at socket(). The clone check after it must still work.
TEST(DenyFilter, StreamSocketsOnlyRefusesUdpIcmpRawAndPacket) {
  const Attempt attempts[] = {
      {"tcp4", [] { return socket_result(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0); }, kSucceeded},
      {"tcp6", [] { return socket_result(AF_INET6, SOCK_STREAM | SOCK_NONBLOCK, 0); }, kSucceeded},
      {"unix dgram", [] { return socket_result(AF_UNIX, SOCK_DGRAM, 0); }, kSucceeded},
      {"udp4", [] { return socket_result(AF_INET, SOCK_DGRAM, 0); }, EACCES},
      {"udp6", [] { return socket_result(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0); }, EACCES},
      {"icmp ping", [] { return socket_result(AF_INET, SOCK_DGRAM, IPPROTO_ICMP); }, EACCES},
      {"raw", [] { return socket_result(AF_INET, SOCK_RAW, IPPROTO_ICMP); }, EACCES},
      {"packet", [] { return socket_result(AF_PACKET, SOCK_RAW, 0); }, EACCES},
      {"clone(NEWNET)", [] { return clone_with(CLONE_NEWNET); }, EPERM},
      {"fork", [] { return clone_with(0); }, kSucceeded},
  };
  for (const auto& attempt : attempts) {
    const int got = testing::run_in_child([&] {
      LockdownOptions options;
      options.drop_capabilities = false;  // root keeps CAP_NET_RAW: only the filter refuses
      options.stream_sockets_only = true;
      if (!lockdown(options).ok()) return kSetupFailed;
      return attempt.call();
    });
    EXPECT_EQ(got, attempt.expected_errno) << attempt.name << ": got errno " << got;
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
