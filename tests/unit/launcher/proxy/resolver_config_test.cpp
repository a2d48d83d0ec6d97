// The proxy's resolver settings: hosts(5), resolv.conf(5) and glibc's search order.
#include "launcher/proxy/resolver_config.h"

#include <gtest/gtest.h>

#include "tests/unit/launcher/temp_dir.h"

namespace jk::launcher::proxy {
namespace {

using launchspec::to_string;

std::vector<std::string> strings(const std::vector<launchspec::IpAddress>& list) {
  std::vector<std::string> out;
  for (const auto& a : list) out.push_back(to_string(a));
  return out;
}

TEST(Hosts, NamesAndAliasesMapToEveryAddressInFileOrder) {
  ResolverConfig c;
  parse_hosts(
      "# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1 localhost ip6-localhost\n"
      "10.0.1.5 agent-pod\n\n# Entries added by HostAliases.\n10.9.9.9 Foo.Local. bar\n"
      "bogus line\n300.1.1.1 broken\n10.9.9.8 foo.local # comment\r\n",
      c);
  EXPECT_EQ(strings(c.hosts["localhost"]), (std::vector<std::string>{"127.0.0.1", "::1"}));
  EXPECT_EQ(strings(c.hosts["foo.local"]), (std::vector<std::string>{"10.9.9.9", "10.9.9.8"}));
  EXPECT_EQ(strings(c.hosts["bar"]), (std::vector<std::string>{"10.9.9.9"}));
  EXPECT_EQ(c.hosts.count("broken"), 0U);
  EXPECT_EQ(c.hosts.count("line"), 0U);
}

TEST(ResolvConf, KubernetesStyle) {
  ResolverConfig c;
  parse_resolv_conf(
      "search default.svc.cluster.local svc.cluster.local cluster.local ec2.internal\n"
      "nameserver 10.96.0.10\nnameserver fd00:10:96::a ; second\nnameserver 1.1.1.1\n"
      "nameserver 9.9.9.9\noptions ndots:5 timeout:2 attempts:3 rotate\n",
      c);
  EXPECT_EQ(strings(c.nameservers),
            (std::vector<std::string>{"10.96.0.10", "fd00:10:96::a", "1.1.1.1"}));  // MAXNS 3
  EXPECT_EQ(c.search.size(), 4U);
  EXPECT_EQ(c.ndots, 5);
  EXPECT_EQ(c.timeout, std::chrono::seconds(2));
  EXPECT_EQ(c.attempts, 3);
}

TEST(ResolvConf, DefaultsLastSearchWinsAndOptionsAreClamped) {
  ResolverConfig c;
  parse_resolv_conf(
      "domain a.example\nsearch b.example.\noptions ndots:99 timeout:0 attempts:x\n"
      "nameserver not-an-ip\n",
      c);
  EXPECT_EQ(c.search, (std::vector<std::string>{"b.example"}));
  EXPECT_EQ(c.ndots, kMaxNdots);
  EXPECT_EQ(c.timeout, std::chrono::seconds(1));
  EXPECT_EQ(c.attempts, kDefaultAttempts);
  EXPECT_TRUE(c.nameservers.empty());
}

TEST(CandidateNames, FollowNdotsAndSearchLikeGlibc) {
  ResolverConfig c;
  c.search = {"ns.svc.cluster.local", "cluster.local"};
  c.ndots = 5;
  EXPECT_EQ(candidate_names(c, "api.github.com"),
            (std::vector<std::string>{"api.github.com.ns.svc.cluster.local",
                                      "api.github.com.cluster.local", "api.github.com"}));
  EXPECT_EQ(candidate_names(c, "API.GitHub.com."), (std::vector<std::string>{"api.github.com"}));
  c.ndots = 1;
  EXPECT_EQ(candidate_names(c, "api.github.com"),
            (std::vector<std::string>{"api.github.com", "api.github.com.ns.svc.cluster.local",
                                      "api.github.com.cluster.local"}));
  EXPECT_EQ(
      candidate_names(c, "redis"),
      (std::vector<std::string>{"redis.ns.svc.cluster.local", "redis.cluster.local", "redis"}));
}

TEST(ReadResolverConfig, ReadsBothFilesAndTreatsMissingAsEmpty) {
  const testing::TempDir dir;
  const std::string hosts = dir.write("hosts", "10.1.1.1 pinned.test\n");
  const std::string resolv = dir.write("resolv.conf", "nameserver 10.96.0.10\n");
  const auto c = read_resolver_config(hosts, resolv);
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(strings(c->hosts.at("pinned.test")), (std::vector<std::string>{"10.1.1.1"}));
  EXPECT_EQ(strings(c->nameservers), (std::vector<std::string>{"10.96.0.10"}));
  const auto none = read_resolver_config(dir.path() + "/no-hosts", dir.path() + "/no-resolv");
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->hosts.empty());
  EXPECT_TRUE(none->nameservers.empty());
}

}  // namespace
}  // namespace jk::launcher::proxy
