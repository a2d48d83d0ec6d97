// errno errors name the call and carry errno's text; retry_on_eintr retries exactly while the
// call fails with EINTR.
#include "launcher/sys/errno_error.h"

#include <cerrno>
#include <cstring>
#include <string>

#include <gtest/gtest.h>

namespace jk::launcher::sys {
namespace {

TEST(ErrnoError, NamesTheCallAndTheErrno) {
  errno = EADDRINUSE;
  EXPECT_EQ(errno_error("bind(127.0.0.1:53)").message,
            std::string("bind(127.0.0.1:53): ") + std::strerror(EADDRINUSE));
  EXPECT_EQ(errno_error("open /x", ENOENT).message,
            std::string("open /x: ") + std::strerror(ENOENT));
}

TEST(RetryOnEintr, RetriesWhileInterruptedThenReturnsTheResult) {
  int calls = 0;
  const int result = retry_on_eintr([&] {
    ++calls;
    if (calls < 3) {
      errno = EINTR;
      return -1;
    }
    return 7;
  });
  EXPECT_EQ(result, 7);
  EXPECT_EQ(calls, 3);
}

TEST(RetryOnEintr, AnotherErrorIsReturnedAtOnce) {
  int calls = 0;
  const long result = retry_on_eintr([&] {
    ++calls;
    errno = EBADF;
    return -1L;
  });
  EXPECT_EQ(result, -1);
  EXPECT_EQ(errno, EBADF);
  EXPECT_EQ(calls, 1);
}

}  // namespace
}  // namespace jk::launcher::sys
