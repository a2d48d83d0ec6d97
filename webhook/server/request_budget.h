#pragma once
// The server-wide memory budget of requests in flight. Every request with a body holds a lease
// from its header until its answer is written: first for the body bytes as they are read, then
// for what decoding the body will take (a JSON DOM costs up to ~35x its text: json_cost.h).
// Without it 32 connections holding almost complete 8 MiB bodies took 196 MiB, and one 8 MiB
// body of `[{},{},...]` decodes into ~256 MiB (bench/README.md "Robustness").
//
// Small leases (up to kSmallLease) may use the whole budget; larger ones only up to three
// quarters of it, so that a few huge requests cannot starve ordinary reviews. Thread-safe.
#include <atomic>
#include <cstdint>
#include <optional>

#include "common/metrics.h"

namespace jk::server {

class RequestBudget {
 public:
  static constexpr std::uint64_t kSmallLease = 2ULL * 1024 * 1024;

  RequestBudget(std::uint64_t capacity, metrics::Gauge& in_flight);

  class Lease {
   public:
    Lease(RequestBudget& budget, std::uint64_t bytes) : budget_(&budget), bytes_(bytes) {}
    Lease(Lease&& other) noexcept : budget_(other.budget_), bytes_(other.bytes_) {
      other.budget_ = nullptr;
    }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Lease& operator=(Lease&&) = delete;
    ~Lease() {
      if (budget_ != nullptr) budget_->release(bytes_);
    }
    // Adds `extra` bytes to the lease when the budget has them.
    [[nodiscard]] bool try_grow(std::uint64_t extra);
    [[nodiscard]] std::uint64_t bytes() const { return bytes_; }

   private:
    RequestBudget* budget_;
    std::uint64_t bytes_;
  };

  std::optional<Lease> try_acquire(std::uint64_t bytes);
  // The most one lease may ever hold: larger requests can never be served.
  [[nodiscard]] std::uint64_t largest_lease() const;
  [[nodiscard]] std::uint64_t capacity() const { return capacity_; }
  [[nodiscard]] std::uint64_t used() const { return used_.load(); }

 private:
  // Takes `extra` for a lease that will then hold `total`; false when the budget is short.
  bool take(std::uint64_t extra, std::uint64_t total);
  void release(std::uint64_t bytes);

  const std::uint64_t capacity_;
  std::atomic<std::uint64_t> used_{0};
  metrics::Gauge& in_flight_;
};

}  // namespace jk::server
