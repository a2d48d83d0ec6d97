// Internal upstream addresses the proxy refuses unless opted in (issue 13).
#include "launcher/proxy/upstream_address.h"

#include <gtest/gtest.h>

namespace jk::launcher::proxy {
namespace {

using launchspec::parse_ip;
using launchspec::parse_prefix;

std::string kind(const char* address) { return internal_kind(*parse_ip(address), {}); }

TEST(UpstreamAddress, InternalAddressesAreNamed) {
  EXPECT_EQ(kind("169.254.169.254"), "link-local (instance metadata)");
  EXPECT_EQ(kind("169.254.170.2"), "link-local (container and pod identity credentials)");
  EXPECT_EQ(kind("169.254.170.23"), "link-local (container and pod identity credentials)");
  EXPECT_EQ(kind("169.254.1.1"), "link-local");
  EXPECT_EQ(kind("fd00:ec2::254"), "the AWS metadata, DNS and time prefix");
  EXPECT_EQ(kind("fd00:ec2::23"), "the AWS metadata, DNS and time prefix");
  EXPECT_EQ(kind("100.100.100.200"), "cloud instance metadata");
  EXPECT_EQ(kind("127.0.0.1"), "loopback");
  EXPECT_EQ(kind("127.255.0.9"), "loopback");
  EXPECT_EQ(kind("::1"), "loopback");
  EXPECT_EQ(kind("0.0.0.0"), "unspecified (this host)");
  EXPECT_EQ(kind("0.1.2.3"), "unspecified (this host)");
  EXPECT_EQ(kind("::"), "unspecified (this host)");
  EXPECT_EQ(kind("224.0.0.1"), "multicast");
  EXPECT_EQ(kind("ff02::1"), "multicast");
  EXPECT_EQ(kind("255.255.255.255"), "reserved or broadcast");
  EXPECT_EQ(kind("fe80::1"), "link-local");
  // IPv4 inside IPv6 is judged as IPv4.
  EXPECT_EQ(kind("::ffff:127.0.0.1"), "loopback");
  EXPECT_EQ(kind("::ffff:169.254.169.254"), "link-local (instance metadata)");
  EXPECT_EQ(kind("64:ff9b::a9fe:a9fe"), "link-local (instance metadata)");
  EXPECT_EQ(kind("::127.0.0.1"), "IPv4-compatible IPv6");
}

TEST(UpstreamAddress, OrdinaryAddressesAreNot) {
  for (const char* a :
       {"10.96.0.10", "192.168.1.1", "172.16.0.1", "203.0.113.7", "8.8.8.8", "2001:db8::1",
        "fd00:10:96::a", "100.64.0.1", "169.253.255.255", "64:ff9b::808:808"}) {
    EXPECT_EQ(kind(a), "") << a;
  }
}

TEST(UpstreamAddress, ThePodsOwnAddressesAreInternal) {
  const std::vector<launchspec::IpAddress> own = {*parse_ip("10.0.1.5"), *parse_ip("fd00::5")};
  EXPECT_EQ(internal_kind(*parse_ip("10.0.1.5"), own), "an address of this pod");
  EXPECT_EQ(internal_kind(*parse_ip("::ffff:10.0.1.5"), own), "an address of this pod");
  EXPECT_EQ(internal_kind(*parse_ip("fd00::5"), own), "an address of this pod");
  EXPECT_EQ(internal_kind(*parse_ip("10.0.1.6"), own), "");
}

TEST(UpstreamAddress, OnlyTheOptedInPrefixesAreLetThrough) {
  UpstreamAddressPolicy policy;
  policy.allow_internal = {*parse_prefix("127.0.0.1/32"), *parse_prefix("fd00:ec2::23")};
  EXPECT_EQ(refusal(policy, *parse_ip("127.0.0.1")), "");
  EXPECT_EQ(refusal(policy, *parse_ip("::ffff:127.0.0.1")), "");
  EXPECT_EQ(refusal(policy, *parse_ip("fd00:ec2::23")), "");
  EXPECT_EQ(refusal(policy, *parse_ip("203.0.113.7")), "");
  EXPECT_EQ(refusal(policy, *parse_ip("127.0.0.2")),
            "127.0.0.2 is loopback: internal upstreams are refused (--allow-internal opts in)");
  EXPECT_NE(refusal(policy, *parse_ip("169.254.169.254")), "");
  EXPECT_NE(refusal(policy, *parse_ip("fd00:ec2::254")), "");
}

}  // namespace
}  // namespace jk::launcher::proxy
