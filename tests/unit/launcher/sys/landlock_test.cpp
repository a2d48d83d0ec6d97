#include "launcher/sys/landlock.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cerrno>

#include "launcher/sys/unique_fd.h"
#include "tests/unit/launcher/sys/child.h"

namespace jk::launcher::sys {
namespace {

constexpr int kSetupFailed = 200;

// A listening socket on 127.0.0.1 with a kernel-chosen port.
struct Listener {
  UniqueFd fd;
  std::uint16_t port = 0;
};

Listener listen_loopback() {
  Listener l;
  l.fd.reset(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  auto* sa = reinterpret_cast<sockaddr*>(&addr);  // NOLINT: the sockaddr API
  if (bind(l.fd.get(), sa, len) != 0 || listen(l.fd.get(), 1) != 0 ||
      getsockname(l.fd.get(), sa, &len) != 0) {
    return {};
  }
  l.port = ntohs(addr.sin_port);
  return l;
}

int connect_errno(std::uint16_t port) {
  UniqueFd fd(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port);
  const auto* sa = reinterpret_cast<const sockaddr*>(&addr);  // NOLINT: the sockaddr API
  return connect(fd.get(), sa, sizeof(addr)) == 0 ? 0 : errno;
}

TEST(Landlock, ReportsAnAbiOrSaysWhyNot) {
  auto abi = landlock_abi();
  if (abi.ok()) {
    EXPECT_GE(*abi, 1);
  } else {
    EXPECT_NE(abi.error().message.find("Landlock"), std::string::npos);
  }
}

TEST(Landlock, AllowsTcpConnectOnlyToTheGivenPort) {
  auto abi = landlock_abi();
  if (!abi.ok() || *abi < kLandlockNetAbi) GTEST_SKIP() << "needs Landlock ABI >= 4";
  const Listener allowed = listen_loopback();
  const Listener other = listen_loopback();
  ASSERT_NE(allowed.port, 0);
  ASSERT_NE(other.port, 0);
  struct Case {
    std::uint16_t port;
    int expected_errno;
  };
  const Case cases[] = {{allowed.port, 0}, {other.port, EACCES}};
  for (const auto& c : cases) {
    const int got = testing::run_in_child([&] {
      if (!landlock_restrict_connect(allowed.port, *abi).ok()) return kSetupFailed;
      return connect_errno(c.port);
    });
    EXPECT_EQ(got, c.expected_errno) << "port " << c.port;
  }
  EXPECT_EQ(connect_errno(other.port), 0) << "the test process itself stays unrestricted";
}

}  // namespace
}  // namespace jk::launcher::sys
