// The request memory budget: leases up to the capacity, a quarter kept for small requests,
// growth, and release when a lease ends.
#include "webhook/server/request_budget.h"

#include <gtest/gtest.h>

namespace jk::server {
namespace {

constexpr std::uint64_t kMiB = 1024 * 1024;

class RequestBudgetTest : public ::testing::Test {
 protected:
  metrics::Registry registry_;
  metrics::Gauge& in_flight_ = registry_.gauge("in_flight", "bytes").with({});
};

TEST_F(RequestBudgetTest, SmallLeasesMayUseItAllLargeOnesThreeQuarters) {
  RequestBudget budget(16 * kMiB, in_flight_);
  EXPECT_EQ(budget.largest_lease(), 12 * kMiB);
  auto large = budget.try_acquire(8 * kMiB);
  ASSERT_TRUE(large);
  EXPECT_FALSE(budget.try_acquire(5 * kMiB)) << "8 + 5 MiB is over the 12 MiB large leases get";
  auto more_large = budget.try_acquire(4 * kMiB);
  ASSERT_TRUE(more_large);
  EXPECT_FALSE(budget.try_acquire(3 * kMiB));
  auto small = budget.try_acquire(2 * kMiB);  // the reserve is for small ones
  ASSERT_TRUE(small);
  auto small2 = budget.try_acquire(2 * kMiB);
  ASSERT_TRUE(small2);
  EXPECT_FALSE(budget.try_acquire(1)) << "16 MiB in use";
  EXPECT_EQ(in_flight_.value(), 16.0 * kMiB);
}

TEST_F(RequestBudgetTest, LeasesGrowAndGiveEverythingBackWhenTheyEnd) {
  RequestBudget budget(16 * kMiB, in_flight_);
  {
    auto lease = budget.try_acquire(kMiB);
    ASSERT_TRUE(lease);
    EXPECT_TRUE(lease->try_grow(kMiB));
    EXPECT_EQ(lease->bytes(), 2 * kMiB);
    EXPECT_FALSE(lease->try_grow(11 * kMiB)) << "a 13 MiB lease is over the 12 MiB limit";
    EXPECT_TRUE(lease->try_grow(10 * kMiB));
    EXPECT_EQ(budget.used(), 12 * kMiB);
  }
  EXPECT_EQ(budget.used(), 0U);
  EXPECT_EQ(in_flight_.value(), 0.0);
}

}  // namespace
}  // namespace jk::server
