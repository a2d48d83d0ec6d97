#include "launcher/proxy/request_head.h"

#include <gtest/gtest.h>

namespace jk::launcher::proxy {
namespace {

constexpr std::uint32_t kLimit = 8192;

TEST(ParseRequestHead, ReadsWhatTheProxyJudges) {
  const auto head = parse_request_head(
      "GET http://example.com/x HTTP/1.1\r\nHost: other\r\nConnection: keep-alive, Upgrade\r\n"
      "Upgrade: websocket\r\n\r\n",
      kLimit);
  ASSERT_TRUE(head.ok()) << head.error().message;
  EXPECT_EQ(head->method, "GET");
  EXPECT_EQ(head->target, "http://example.com/x");
  EXPECT_EQ(head->version, 11u);
  EXPECT_EQ(head->host_header, "other");
  EXPECT_TRUE(head->keep_alive);
  EXPECT_TRUE(head->websocket_upgrade);
}

TEST(ParseRequestHead, Http10ClosesByDefault) {
  const auto head = parse_request_head("GET / HTTP/1.0\r\n\r\n", kLimit);
  ASSERT_TRUE(head.ok());
  EXPECT_FALSE(head->keep_alive);
  EXPECT_FALSE(head->websocket_upgrade);
}

TEST(ParseRequestHead, RejectsBrokenHeads) {
  const char* bad[] = {
      "GET / HTTP/1.1\r\nHost: x\r\n",  // incomplete
      "GET / HTTP/9.9\r\n\r\n",         // version
      "G(T / HTTP/1.1\r\n\r\n",         // method token
      "GET / HTTP/1.1\r\nBad Header: x\r\n\r\n",
      "GET / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
      "\x16\x03\x01",
  };
  for (const char* bytes : bad) EXPECT_FALSE(parse_request_head(bytes, kLimit).ok()) << bytes;
}

TEST(ParseRequestHead, EnforcesTheHeaderLimit) {
  const std::string big = "GET / HTTP/1.1\r\nX: " + std::string(kLimit, 'a') + "\r\n\r\n";
  const auto head = parse_request_head(big, kLimit);
  ASSERT_FALSE(head.ok());
  EXPECT_NE(head.error().message.find("header limit"), std::string::npos) << head.error().message;
}

}  // namespace
}  // namespace jk::launcher::proxy
