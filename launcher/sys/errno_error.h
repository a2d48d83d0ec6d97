#pragma once
// The two idioms every kernel call in the launcher shares: an error that names the call and
// carries errno's text, and a retry while the call was interrupted by a signal (EINTR).
#include <cerrno>
#include <string_view>

#include "common/result.h"

namespace jk::launcher::sys {

// "<what>: <strerror(errno)>", e.g. "bind(127.0.0.1:53): Address already in use". Reads errno
// first, so build `what` before the call (or pass the saved value).
Error errno_error(std::string_view what);
Error errno_error(std::string_view what, int error);

// Calls `call` again while it fails with EINTR; returns its last result (-1 with errno set, as
// the call left it, on any other failure). For calls that return a negative value on failure.
template <typename Call>
auto retry_on_eintr(Call&& call) -> decltype(call()) {
  for (;;) {
    auto result = call();
    if (!(result < 0 && errno == EINTR)) return result;
  }
}

}  // namespace jk::launcher::sys
