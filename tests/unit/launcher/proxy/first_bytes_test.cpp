#include "launcher/proxy/first_bytes.h"

#include <gtest/gtest.h>

#include <string>

namespace jk::launcher::proxy {
namespace {

struct Case {
  std::string bytes;
  Protocol expected;
};

TEST(ClassifyFirstBytes, DecidesByTheFirstBytes) {
  const Case cases[] = {
      {"", Protocol::kNeedMore},
      {"\x16", Protocol::kNeedMore},
      {std::string("\x16\x03\x01\x02\x00", 5), Protocol::kTls},
      {"\x16\x02", Protocol::kUnknown},
      {"C", Protocol::kNeedMore},
      {"CONNECT", Protocol::kNeedMore},
      {"CONNECT example.com:443 HTTP/1.1\r\n", Protocol::kConnect},
      {"CONNECTX / HTTP/1.1", Protocol::kHttp},
      {"GET / HTTP/1.1\r\n", Protocol::kHttp},
      {"POST", Protocol::kHttp},
      {"connect x:1 HTTP/1.1", Protocol::kHttp},  // case-sensitive: Beast judges the method
      {std::string("\x00\x01", 2), Protocol::kUnknown},
      {"\r\n", Protocol::kUnknown},
      {" GET", Protocol::kUnknown},
      {"\xff\xfe", Protocol::kUnknown},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(classify_first_bytes(c.bytes), c.expected) << "bytes: " << c.bytes;
  }
}

}  // namespace
}  // namespace jk::launcher::proxy
