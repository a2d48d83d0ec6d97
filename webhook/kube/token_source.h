#pragma once
// The bearer token the client sends: fixed, or read from a file that rotates (projected service
// account tokens). The file is re-read when the cached copy is older than max_age or after the
// server answered 401; when a re-read fails the last good token is kept.
#include <chrono>
#include <mutex>
#include <string>

#include "common/result.h"

namespace jk::kube {

class TokenSource {
 public:
  static constexpr std::chrono::seconds kDefaultMaxAge{60};

  TokenSource(std::string fixed_token, std::string token_file,
              std::chrono::steady_clock::duration max_age = kDefaultMaxAge);
  // "" when no token is configured. Errors only when a file never could be read.
  Result<std::string> current();
  // Forces a re-read on the next current() (after a 401).
  void invalidate();

 private:
  std::mutex mutex_;
  std::string fixed_;
  std::string file_;
  std::chrono::steady_clock::duration max_age_;
  std::string cached_;
  bool have_cached_ = false;
  bool stale_ = true;
  std::chrono::steady_clock::time_point read_at_{};
};

}  // namespace jk::kube
