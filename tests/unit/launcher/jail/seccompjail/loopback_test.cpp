// The connector's loopback pairs: the agent's end has the family of the socket it replaces, the
// proxy's end is exactly its peer (never a stranger's connection to the listener).
#include "launcher/jail/seccompjail/loopback.h"

#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <string>

#include <gtest/gtest.h>

namespace jk::launcher::jail {
namespace {

int family_of(int fd) {
  int domain = 0;
  socklen_t len = sizeof(domain);
  ::getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &len);
  return domain;
}

std::string carry(int from, int to, const std::string& text) {
  if (::write(from, text.data(), text.size()) != static_cast<ssize_t>(text.size())) return "";
  std::array<char, 64> buffer{};
  const ssize_t n = ::read(to, buffer.data(), buffer.size());
  return n > 0 ? std::string(buffer.data(), static_cast<std::size_t>(n)) : "";
}

TEST(SeccompjailLoopback, PairsKeepTheAgentSocketFamilyAndCarryBytesBothWays) {
  auto pairer = LoopbackPairer::create();
  ASSERT_TRUE(pairer.ok()) << pairer.error().message;
  EXPECT_EQ(pairer->address().host(), "127.0.0.1");
  for (const int domain : {AF_INET, AF_INET6}) {
    auto pair = pairer->pair(domain);
    ASSERT_TRUE(pair.ok()) << pair.error().message;
    EXPECT_EQ(family_of(pair->agent_end.get()), domain);
    EXPECT_EQ(carry(pair->agent_end.get(), pair->proxy_end.get(), "GET /"), "GET /");
    EXPECT_EQ(carry(pair->proxy_end.get(), pair->agent_end.get(), "200"), "200");
  }
  EXPECT_FALSE(pairer->pair(AF_UNIX).ok());
}

TEST(SeccompjailLoopback, AStrangersConnectionIsNeverHandedToTheProxy) {
  auto pairer = LoopbackPairer::create();
  ASSERT_TRUE(pairer.ok()) << pairer.error().message;
  const sys::UniqueFd stranger(::socket(AF_INET, SOCK_STREAM, 0));
  ASSERT_EQ(::connect(stranger.get(), pairer->address().sockaddr_ptr(), pairer->address().length),
            0);
  auto pair = pairer->pair(AF_INET);
  ASSERT_TRUE(pair.ok()) << pair.error().message;
  EXPECT_EQ(carry(pair->agent_end.get(), pair->proxy_end.get(), "mine"), "mine");
  std::array<char, 8> buffer{};
  EXPECT_EQ(::read(stranger.get(), buffer.data(), buffer.size()), 0);  // closed, not served
}

}  // namespace
}  // namespace jk::launcher::jail
