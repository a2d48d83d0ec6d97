// Request framing an upstream may read differently is refused (issue 13: request smuggling).
#include "launcher/proxy/request_framing.h"

#include <gtest/gtest.h>

#include <string>

namespace jk::launcher::proxy {
namespace {

struct FramingCase {
  std::string head;
  std::string error;  // empty: accepted; else a substring of the error
};

void PrintTo(const FramingCase& c, std::ostream* os) { *os << testing::PrintToString(c.head); }

class Framing : public testing::TestWithParam<FramingCase> {};

TEST_P(Framing, IsCheckedOnTheRawHead) {
  const std::string& head = GetParam().head;
  const std::size_t length = head_length(head + "BODY");
  ASSERT_EQ(length, head.size()) << "the head ends at the first empty line";
  const Status got = check_request_head(head);
  if (GetParam().error.empty()) {
    EXPECT_TRUE(got.ok()) << got.error().message;
  } else {
    ASSERT_FALSE(got.ok());
    EXPECT_NE(got.error().message.find(GetParam().error), std::string::npos) << got.error().message;
  }
}

constexpr const char* kStart = "POST /x HTTP/1.1\r\nHost: a.com\r\n";

std::string with(const std::string& fields) { return kStart + fields + "\r\n"; }

INSTANTIATE_TEST_SUITE_P(
    Heads, Framing,
    testing::Values(
        FramingCase{with("Content-Length: 5\r\n"), ""},
        FramingCase{with("Transfer-Encoding: chunked\r\n"), ""},
        FramingCase{with("transfer-encoding:   ChUnKeD \r\n"), ""},
        FramingCase{"GET / HTTP/1.0\r\n\r\n", ""},
        FramingCase{with("Content-Length: 5\r\nTransfer-Encoding: chunked\r\n"), "both"},
        FramingCase{with("Transfer-Encoding: chunked\r\nContent-Length: 0\r\n"), "both"},
        FramingCase{with("Content-Length: 5\r\nContent-Length: 5\r\n"),
                    "more than one Content-Length"},
        FramingCase{with("Content-Length: 5, 5\r\n"), "not a single number"},
        FramingCase{with("Content-Length: +5\r\n"), "not a single number"},
        FramingCase{with("Content-Length: 0x5\r\n"), "not a single number"},
        FramingCase{with("Content-Length: \r\n"), "not a single number"},
        FramingCase{with("Transfer-Encoding: gzip, chunked\r\n"), "only \"chunked\""},
        FramingCase{with("Transfer-Encoding: chunked, chunked\r\n"), "only \"chunked\""},
        FramingCase{with("Transfer-Encoding: xchunked\r\n"), "only \"chunked\""},
        FramingCase{with("Transfer-Encoding: identity\r\n"), "only \"chunked\""},
        FramingCase{with("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n"),
                    "more than one Transfer-Encoding"},
        FramingCase{"POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", "HTTP/1.0"},
        FramingCase{with("Host: b.com\r\n"), "more than one Host"},
        FramingCase{with("host: a.com\r\n"), "more than one Host"},
        FramingCase{with("X-A: 1\r\n folded\r\n"), "obs-fold"},
        FramingCase{with("X-A: 1\r\n\tContent-Length: 5\r\n"), "obs-fold"},
        FramingCase{with("Content-Length : 5\r\n"), "whitespace"},
        FramingCase{with("Transfer-Encoding\t: chunked\r\n"), "whitespace"},
        FramingCase{with("No colon here\r\n"), "without ':'"},
        FramingCase{"POST / HTTP/1.1\nHost: a.com\nContent-Length: 5\n\n", "bare LF"},
        FramingCase{with("X-A: 1\nContent-Length: 5\r\n"), "bare LF"},
        FramingCase{with("X-A: 1\rContent-Length: 5\r\n"), "bare CR"},
        FramingCase{"\r\nPOST / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", "empty request line"},
        FramingCase{with("X-Original-URL: /secret\r\n"), "X-Original-URL"},
        FramingCase{with("x-rewrite-url: /secret\r\n"), "x-rewrite-url"}));

TEST(MethodOverrides, EveryOverrideHeaderIsCollected) {
  EXPECT_EQ(method_overrides(with("X-HTTP-Method-Override:  DELETE \r\nx-http-method: PUT\r\n"
                                  "X-Method-Override: PATCH\r\nX-Other: GET\r\n")),
            (std::vector<std::string>{"DELETE", "PUT", "PATCH"}));
  EXPECT_TRUE(method_overrides(with("")).empty());
}

TEST(HeadLength, WaitsForTheEmptyLine) {
  EXPECT_EQ(head_length("GET / HTTP/1.1\r\nHost: a\r\n"), std::string_view::npos);
  EXPECT_EQ(head_length("GET / HTTP/1.1\r\nHost: a\r\n\r"), std::string_view::npos);
  EXPECT_EQ(head_length("GET / HTTP/1.1\r\n\r\nGET"), 18U);
  EXPECT_EQ(head_length("GET / HTTP/1.1\n\nX"), 16U);
}

TEST(BodyRule, MethodsWithoutBodySemanticsRefuseOneInAnyCase) {
  for (const char* m : {"GET", "HEAD", "DELETE", "TRACE", "CONNECT", "get", "Delete"}) {
    EXPECT_EQ(body_rule(m), BodyRule::kRefuse) << m;
  }
  for (const char* m : {"POST", "PUT", "PATCH"}) EXPECT_EQ(body_rule(m), BodyRule::kForward) << m;
  for (const char* m : {"OPTIONS", "PROPFIND", "REPORT", "post", "X-CUSTOM"}) {
    EXPECT_EQ(body_rule(m), BodyRule::kForwardNoReuse) << m;
  }
}

}  // namespace
}  // namespace jk::launcher::proxy
