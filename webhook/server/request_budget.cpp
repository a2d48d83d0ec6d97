#include "webhook/server/request_budget.h"

#include <algorithm>

namespace jk::server {

RequestBudget::RequestBudget(std::uint64_t capacity, metrics::Gauge& in_flight)
    : capacity_(capacity), in_flight_(in_flight) {}

std::uint64_t RequestBudget::largest_lease() const {
  return capacity_ <= kSmallLease ? capacity_ : std::max(kSmallLease, capacity_ / 4 * 3);
}

bool RequestBudget::take(std::uint64_t extra, std::uint64_t total) {
  const std::uint64_t limit = total <= kSmallLease ? capacity_ : largest_lease();
  std::uint64_t used = used_.load();
  do {
    if (used > limit || extra > limit - used) return false;
  } while (!used_.compare_exchange_weak(used, used + extra));
  in_flight_.set(static_cast<double>(used_.load()));
  return true;
}

void RequestBudget::release(std::uint64_t bytes) {
  used_.fetch_sub(bytes);
  in_flight_.set(static_cast<double>(used_.load()));
}

std::optional<RequestBudget::Lease> RequestBudget::try_acquire(std::uint64_t bytes) {
  if (!take(bytes, bytes)) return std::nullopt;
  return Lease(*this, bytes);
}

bool RequestBudget::Lease::try_grow(std::uint64_t extra) {
  if (budget_ == nullptr || !budget_->take(extra, bytes_ + extra)) return false;
  bytes_ += extra;
  return true;
}

}  // namespace jk::server
