// Address prefixes of the internal-upstream opt-in (launchspec/address_prefix.h).
#include "launchspec/address_prefix.h"

#include <gtest/gtest.h>

namespace jk::launchspec {
namespace {

bool in(const char* prefix, const char* address) {
  return contains(*parse_prefix(prefix), *parse_ip(address));
}

TEST(AddressPrefix, ContainsByFamilyAndLength) {
  EXPECT_TRUE(in("127.0.0.0/8", "127.1.2.3"));
  EXPECT_FALSE(in("127.0.0.0/8", "128.0.0.1"));
  EXPECT_TRUE(in("10.0.0.5", "10.0.0.5"));
  EXPECT_FALSE(in("10.0.0.5", "10.0.0.6"));
  EXPECT_TRUE(in("0.0.0.0/0", "203.0.113.9"));
  EXPECT_FALSE(in("0.0.0.0/0", "2001:db8::1"));
  EXPECT_TRUE(in("fe80::/10", "febf::1"));
  EXPECT_FALSE(in("fe80::/10", "fec0::1"));
  EXPECT_TRUE(in("10.0.0.0/8", "::ffff:10.1.1.1"));  // IPv4-mapped IPv6 is IPv4
  EXPECT_TRUE(in("::ffff:10.0.0.0/104", "10.9.9.9"));
  EXPECT_TRUE(in("192.168.1.77/24", "192.168.1.1"));  // host bits ignored
}

TEST(AddressPrefix, BadTextSaysWhy) {
  for (const char* bad : {"", "localhost", "10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0.0/x",
                          "[::1]", "10.0.0.1:80", "fe80::1%eth0"}) {
    const auto got = parse_prefix(bad);
    EXPECT_FALSE(got.ok()) << bad;
  }
  EXPECT_EQ(to_string(*parse_ip("::ffff:127.0.0.1")), "::ffff:127.0.0.1");
  EXPECT_EQ(to_string(unmap(*parse_ip("::ffff:127.0.0.1"))), "127.0.0.1");
}

}  // namespace
}  // namespace jk::launchspec
