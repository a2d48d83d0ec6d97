#include "webhook/server/response_head.h"

#include <gtest/gtest.h>

namespace jk::server {
namespace {

std::string head(const ResponseHead& h) {
  std::string out = "prefix|";  // appended, never overwritten
  append_response_head(out, h);
  return out;
}

TEST(ResponseHead, Http11KeepAliveSaysNothingAboutTheConnection) {
  EXPECT_EQ(head({200, 11, "application/json", true, false, 4560}),
            "prefix|HTTP/1.1 200 OK\r\nServer: jailkeeper\r\nContent-Type: application/json\r\n"
            "Content-Length: 4560\r\n\r\n");
}

TEST(ResponseHead, Http11CloseAndRetryAfter) {
  EXPECT_EQ(head({503, 11, "text/plain; charset=utf-8", false, true, 0}),
            "prefix|HTTP/1.1 503 Service Unavailable\r\nServer: jailkeeper\r\n"
            "Content-Type: text/plain; charset=utf-8\r\nRetry-After: 1\r\nConnection: close\r\n"
            "Content-Length: 0\r\n\r\n");
}

TEST(ResponseHead, Http10SaysKeepAliveOnlyWhenItStaysOpen) {
  EXPECT_EQ(head({404, 10, "text/plain", true, false, 10}),
            "prefix|HTTP/1.0 404 Not Found\r\nServer: jailkeeper\r\nContent-Type: text/plain\r\n"
            "Connection: keep-alive\r\nContent-Length: 10\r\n\r\n");
  EXPECT_EQ(head({404, 10, "text/plain", false, false, 10}),
            "prefix|HTTP/1.0 404 Not Found\r\nServer: jailkeeper\r\nContent-Type: text/plain\r\n"
            "Content-Length: 10\r\n\r\n");
}

TEST(ResponseHead, AnswersWithoutABodyHaveNoContentLength) {
  for (const int status : {100, 101, 204, 304}) {
    EXPECT_FALSE(status_allows_body(status)) << status;
    EXPECT_EQ(head({status, 11, "text/plain", true, false, 5}).find("Content-Length"),
              std::string::npos)
        << status;
  }
  for (const int status : {200, 201, 205, 302, 400, 599}) EXPECT_TRUE(status_allows_body(status));
}

TEST(ResponseHead, AnUnknownStatusStillGetsAStatusLine) {
  EXPECT_EQ(head({299, 11, "text/plain", true, false, 0}).substr(0, 24),
            "prefix|HTTP/1.1 299 <unk");
}

}  // namespace
}  // namespace jk::server
