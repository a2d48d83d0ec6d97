#include "webhook/kube/backoff.h"

#include <algorithm>

namespace jk::kube {

Backoff::Backoff(std::chrono::milliseconds initial, std::chrono::milliseconds max)
    : initial_(initial),
      max_(std::max(initial, max)),
      current_(initial),
      random_(std::random_device{}()) {}

std::chrono::milliseconds Backoff::next() {
  const auto delay = current_;
  current_ = std::min(current_ * 2, max_);
  std::uniform_int_distribution<long> jitter(delay.count() / 2, delay.count());
  return std::chrono::milliseconds(jitter(random_));
}

}  // namespace jk::kube
