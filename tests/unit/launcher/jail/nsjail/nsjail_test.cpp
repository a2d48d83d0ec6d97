// start_nsjail as the supervisor uses it: the agent runs jailed, its status comes back, and the
// sockets handed to the launcher are the jail's. Privileged (namespaces): skipped, saying why,
// where the jail cannot be built.
#include "launcher/jail/nsjail/nsjail.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "launcher/sys/process.h"

namespace jk::launcher::jail {
namespace {

struct Mode {
  const char* name;
  bool user_namespace;
};
constexpr Mode kModes[] = {{"with user namespace", true}, {"without user namespace", false}};

AgentCommand shell(const std::string& script) {
  return {{"/bin/sh", "-c", script}, {"PATH=/usr/bin:/bin"}};
}

// Starts the jail or skips the test with the probe's reason.
#define START_OR_SKIP(var, options, command)              \
  if (const Status ok = nsjail_available(options); !ok) { \
    GTEST_SKIP() << ok.error().message;                   \
  }                                                       \
  auto var = start_nsjail(options, command);              \
  ASSERT_TRUE(var.ok()) << var.error().message

int wait_code(const JailChild& child) {
  const auto status = sys::wait_for_exit(child.pid);
  return status ? sys::exit_code_from_wait_status(*status) : -1;
}

// "127.0.0.1:port" or "[::]:port".
std::string local_address(int fd) {
  sockaddr_storage address{};
  socklen_t length = sizeof(address);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);  // NOLINT
  char text[INET6_ADDRSTRLEN] = {};
  if (address.ss_family == AF_INET6) {
    const auto* v6 = reinterpret_cast<const sockaddr_in6*>(&address);  // NOLINT
    ::inet_ntop(AF_INET6, &v6->sin6_addr, text, sizeof(text));
    return "[" + std::string(text) + "]:" + std::to_string(ntohs(v6->sin6_port));
  }
  const auto* v4 = reinterpret_cast<const sockaddr_in*>(&address);  // NOLINT
  ::inet_ntop(AF_INET, &v4->sin_addr, text, sizeof(text));
  return std::string(text) + ":" + std::to_string(ntohs(v4->sin_port));
}

TEST(NsjailTest, AgentExitStatusIsReturnedInEveryMode) {
  for (const Mode& mode : kModes) {
    const NsjailOptions options{.user_namespace = mode.user_namespace};
    START_OR_SKIP(child, options, shell("exit 7"));
    EXPECT_EQ(wait_code(*child), 7) << mode.name;
  }
}

TEST(NsjailTest, HandsOverTheJailsListenerAndDnsSocket) {
  const NsjailOptions options{.relay_port = 15123, .dns_port = 15124};
  START_OR_SKIP(child, options, shell("exit 0"));
  EXPECT_EQ(local_address(child->tcp_listener.get()), "127.0.0.1:15123");
  // One socket for DNS over both families (IPv4 arrives as mapped addresses).
  EXPECT_EQ(local_address(child->dns_socket.get()), "[::]:15124");
  int v6only = 1;
  socklen_t size = sizeof(v6only);
  ::getsockopt(child->dns_socket.get(), IPPROTO_IPV6, IPV6_V6ONLY, &v6only, &size);
  EXPECT_EQ(v6only, 0);
  EXPECT_TRUE(child->pidfd.valid());
  EXPECT_EQ(wait_code(*child), 0);
}

TEST(NsjailTest, AgentIsInItsOwnPidNamespaceWithoutCapabilities) {
  // pid 2: init is pid 1. CapEff all zero, NoNewPrivs 1.
  START_OR_SKIP(
      child, NsjailOptions{},
      shell("test \"$$\" = 2 || exit 10; "
            "grep -q '^CapEff:[[:space:]]*0000000000000000$' /proc/self/status || exit 11; "
            "grep -q '^CapBnd:[[:space:]]*0000000000000000$' /proc/self/status || exit 12; "
            "grep -q '^NoNewPrivs:[[:space:]]*1$' /proc/self/status || exit 13; "
            "exit 0"));
  EXPECT_EQ(wait_code(*child), 0);
}

TEST(NsjailTest, ExecFailureIsReportedNotRun) {
  START_OR_SKIP(child, NsjailOptions{}, shell("exit 0"));  // probe + a jail that works
  EXPECT_EQ(wait_code(*child), 0);
  const auto failed = start_nsjail(NsjailOptions{}, {{"/nonexistent/agent"}, {}});
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().message, "nsjail: exec /nonexistent/agent: No such file or directory");
}

TEST(NsjailTest, SignalsReachTheAgentAndKillStatusIsReported) {
  START_OR_SKIP(child, NsjailOptions{}, shell("exec sleep 1000"));
  ASSERT_EQ(::kill(child->pid, SIGTERM), 0);
  EXPECT_EQ(wait_code(*child), 128 + SIGTERM);
}

TEST(NsjailTest, UserNamespaceIsDroppedOnlyWhenTheSysctlSaysZero) {
  struct Case {
    const char* sysctl;  // nullptr: file missing
    bool requested;
    bool expected;
  };
  const Case cases[] = {
      {"0\n", true, false},    {"15000\n", true, true},   {nullptr, true, true},
      {"garbage", true, true}, {"15000\n", false, false},
  };
  char dir_template[] = "/tmp/jk-nsjail-XXXXXX";
  ASSERT_NE(::mkdtemp(dir_template), nullptr);
  const std::string path = std::string(dir_template) + "/max_user_namespaces";
  for (const Case& c : cases) {
    std::remove(path.c_str());
    if (c.sysctl != nullptr) std::ofstream(path) << c.sysctl;
    EXPECT_EQ(use_user_namespace(NsjailOptions{.user_namespace = c.requested}, path.c_str()),
              c.expected)
        << (c.sysctl ? c.sysctl : "(missing)") << " requested=" << c.requested;
  }
  std::remove(path.c_str());
  ::rmdir(dir_template);
}

TEST(NsjailTest, InvalidOptionsAreRefusedBeforeAnythingRuns) {
  const std::vector<std::pair<NsjailOptions, AgentCommand>> cases = {
      {NsjailOptions{}, AgentCommand{}},
      {NsjailOptions{.relay_port = 0}, shell("true")},
      {NsjailOptions{.relay_port = 15001, .dns_port = 15001}, shell("true")},
  };
  for (const auto& [options, command] : cases) {
    EXPECT_FALSE(start_nsjail(options, command).ok());
  }
}

}  // namespace
}  // namespace jk::launcher::jail
