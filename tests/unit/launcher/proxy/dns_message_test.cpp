// The proxy's DNS client messages: queries it sends, replies it accepts (and the ones it drops).
#include "launcher/proxy/dns_message.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace jk::launcher::proxy {
namespace {

using Bytes = std::vector<std::uint8_t>;

void u16(Bytes& b, unsigned v) {
  b.push_back(static_cast<std::uint8_t>(v >> 8));
  b.push_back(static_cast<std::uint8_t>(v & 0xFF));
}

void name(Bytes& b, const std::string& dotted) {
  std::size_t start = 0;
  while (start <= dotted.size()) {
    const std::size_t dot = dotted.find('.', start);
    const std::string label = dotted.substr(start, dot - start);
    b.push_back(static_cast<std::uint8_t>(label.size()));
    b.insert(b.end(), label.begin(), label.end());
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  b.push_back(0);
}

// A reply header + the question for `qname`/`type`.
Bytes reply(unsigned id, unsigned flags, unsigned answers, const std::string& qname,
            unsigned type) {
  Bytes b;
  u16(b, id);
  u16(b, flags);
  u16(b, 1);
  u16(b, answers);
  u16(b, 0);
  u16(b, 0);
  name(b, qname);
  u16(b, type);
  u16(b, 1);
  return b;
}

void record(Bytes& b, const Bytes& owner, unsigned type, const Bytes& data) {
  b.insert(b.end(), owner.begin(), owner.end());
  u16(b, type);
  u16(b, 1);
  u16(b, 0);
  u16(b, 60);
  u16(b, static_cast<unsigned>(data.size()));
  b.insert(b.end(), data.begin(), data.end());
}

const Bytes kToQuestion = {0xC0, 12};  // compression pointer to the question's name

std::vector<std::string> addresses(const DnsReply& r) {
  std::vector<std::string> out;
  for (const auto& a : r.addresses) out.push_back(launchspec::to_string(a));
  return out;
}

TEST(DnsQuery, IsARecursiveQuestion) {
  const auto q = build_query(0x1234, "api.github.com", kDnsTypeA);
  ASSERT_TRUE(q.ok());
  Bytes expected = {0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0};
  name(expected, "api.github.com");
  u16(expected, 1);
  u16(expected, 1);
  EXPECT_EQ(*q, expected);
  EXPECT_FALSE(build_query(1, "a..b", kDnsTypeA).ok());
  EXPECT_FALSE(build_query(1, "", kDnsTypeA).ok());
  EXPECT_FALSE(build_query(1, std::string(64, 'a') + ".com", kDnsTypeA).ok());
  EXPECT_FALSE(build_query(1, std::string(254, 'a'), kDnsTypeA).ok());
}

TEST(DnsReply, FollowsTheCnameChainToTheAddresses) {
  Bytes b = reply(7, 0x8180, 4, "www.example.com", kDnsTypeA);
  Bytes cdn;
  name(cdn, "cdn.example.net");
  record(b, kToQuestion, 5, cdn);
  Bytes cdn_owner;
  name(cdn_owner, "cdn.example.net");
  record(b, cdn_owner, kDnsTypeA, {93, 184, 216, 34});
  record(b, cdn_owner, kDnsTypeA, {93, 184, 216, 35});
  Bytes other;
  name(other, "evil.example.org");
  record(b, other, kDnsTypeA, {169, 254, 169, 254});  // not on the chain: ignored
  const auto r = parse_reply(b, 7, "www.example.com", kDnsTypeA);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->rcode, kRcodeNoError);
  EXPECT_EQ(addresses(*r), (std::vector<std::string>{"93.184.216.34", "93.184.216.35"}));
}

TEST(DnsReply, Aaaa) {
  Bytes b = reply(9, 0x8180, 1, "v6.test", kDnsTypeAaaa);
  record(b, kToQuestion, kDnsTypeAaaa,
         {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});
  const auto r = parse_reply(b, 9, "v6.test", kDnsTypeAaaa);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(addresses(*r), (std::vector<std::string>{"2001:db8::1"}));
}

TEST(DnsReply, NxdomainAndTruncationAreReported) {
  const auto nx = parse_reply(reply(3, 0x8183, 0, "no.test", kDnsTypeA), 3, "no.test", kDnsTypeA);
  ASSERT_TRUE(nx.ok());
  EXPECT_EQ(nx->rcode, kRcodeNxDomain);
  const auto tc = parse_reply(reply(3, 0x8380, 0, "big.test", kDnsTypeA), 3, "big.test", kDnsTypeA);
  ASSERT_TRUE(tc.ok());
  EXPECT_TRUE(tc->truncated);
}

TEST(DnsReply, AnythingNotAnsweringTheQueryIsDropped) {
  const Bytes good = reply(5, 0x8180, 0, "a.test", kDnsTypeA);
  EXPECT_FALSE(parse_reply(good, 6, "a.test", kDnsTypeA).ok());     // another id
  EXPECT_FALSE(parse_reply(good, 5, "b.test", kDnsTypeA).ok());     // another name
  EXPECT_FALSE(parse_reply(good, 5, "a.test", kDnsTypeAaaa).ok());  // another type
  EXPECT_FALSE(parse_reply(reply(5, 0x0100, 0, "a.test", kDnsTypeA), 5, "a.test", kDnsTypeA).ok());
  EXPECT_FALSE(parse_reply(Bytes(good.begin(), good.begin() + 11), 5, "a.test", kDnsTypeA).ok());
  Bytes short_answer = reply(5, 0x8180, 1, "a.test", kDnsTypeA);
  record(short_answer, kToQuestion, kDnsTypeA, {1, 2, 3, 4});
  short_answer.pop_back();
  EXPECT_FALSE(parse_reply(short_answer, 5, "a.test", kDnsTypeA).ok());
  Bytes loop = reply(5, 0x8180, 1, "a.test", kDnsTypeA);
  const auto at = loop.size();
  loop.push_back(0xC0);
  loop.push_back(static_cast<std::uint8_t>(at));  // a pointer to itself
  u16(loop, 1);
  EXPECT_FALSE(parse_reply(loop, 5, "a.test", kDnsTypeA).ok());
}

TEST(DnsReply, ACnameLoopEndsWithoutAddresses) {
  Bytes b = reply(1, 0x8180, 2, "a.test", kDnsTypeA);
  Bytes to_b;
  name(to_b, "b.test");
  record(b, kToQuestion, 5, to_b);
  record(b, to_b, 5, Bytes(kToQuestion));
  const auto r = parse_reply(b, 1, "a.test", kDnsTypeA);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->addresses.empty());
}

}  // namespace
}  // namespace jk::launcher::proxy
