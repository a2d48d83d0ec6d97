// The pure checks on a request head: where it ends, obs-fold, Expect: 100-continue.
#include "webhook/server/request_head.h"

#include <gtest/gtest.h>

namespace jk::server {
namespace {

TEST(RequestHead, EndIsFoundAlsoWhenItStraddlesTwoReads) {
  EXPECT_EQ(head_size("GET / HTTP/1.1\r\n\r\n"), 18U);
  EXPECT_EQ(head_size("GET / HTTP/1.1\r\nHost: x\r\n\r\nbody"), 27U);
  EXPECT_FALSE(head_size("GET / HTTP/1.1\r\nHost: x\r\n"));
  const std::string text = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
  // Searched up to the middle of the marker before: still found.
  for (std::size_t searched = 0; searched < text.size(); ++searched) {
    EXPECT_EQ(head_size(text, searched), text.size()) << searched;
  }
}

TEST(RequestHead, ObsFoldIsALineThatStartsWithSpaceOrTab) {
  EXPECT_TRUE(has_obs_fold("GET / HTTP/1.1\r\nX: a\r\n b\r\n\r\n"));
  EXPECT_TRUE(has_obs_fold("GET / HTTP/1.1\r\nX: a\r\n\tb\r\n\r\n"));
  EXPECT_TRUE(has_obs_fold("GET / HTTP/1.1\r\n Host: x\r\n\r\n"));
  EXPECT_FALSE(has_obs_fold("GET / HTTP/1.1\r\nX: a b\r\nY:\tc\r\n\r\n"));
  EXPECT_FALSE(has_obs_fold("GET / HTTP/1.1\r\n\r\n"));
}

TEST(RequestHead, ExpectContinueIsCaseInsensitiveAndExact) {
  EXPECT_TRUE(expects_continue("100-continue"));
  EXPECT_TRUE(expects_continue("100-Continue"));
  EXPECT_TRUE(expects_continue(" 100-CONTINUE "));
  EXPECT_FALSE(expects_continue(""));
  EXPECT_FALSE(expects_continue("100-continue-please"));
  EXPECT_FALSE(expects_continue("200-ok"));
}

}  // namespace
}  // namespace jk::server
