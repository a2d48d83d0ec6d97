#include "webhook/kube/token_source.h"

#include <utility>

#include "common/log.h"
#include "webhook/kube/client_config.h"

namespace jk::kube {

TokenSource::TokenSource(std::string fixed_token, std::string token_file,
                         std::chrono::steady_clock::duration max_age)
    : fixed_(std::move(fixed_token)), file_(std::move(token_file)), max_age_(max_age) {}

Result<std::string> TokenSource::current() {
  if (file_.empty()) return fixed_;
  std::lock_guard lock(mutex_);
  const auto now = std::chrono::steady_clock::now();
  if (have_cached_ && !stale_ && now - read_at_ < max_age_) return cached_;
  auto fresh = read_token_file(file_);
  if (!fresh.ok()) {
    if (!have_cached_) return fresh.error().wrap("bearer token");
    log::warn("token file re-read failed; keeping the last good token",
              {{"error", fresh.error().message}});
    return cached_;
  }
  cached_ = std::move(fresh).value();
  have_cached_ = true;
  stale_ = false;
  read_at_ = now;
  return cached_;
}

void TokenSource::invalidate() {
  std::lock_guard lock(mutex_);
  stale_ = true;
}

}  // namespace jk::kube
