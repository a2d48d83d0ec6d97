// Admission against max_connections and the drain handshake with live sessions.
#include "webhook/server/connection_tracker.h"

#include <gtest/gtest.h>

#include <vector>

namespace jk::server {
namespace {

struct FakeSession : Drainable {
  int drained = 0;
  void drain() override { ++drained; }
};

class ConnectionTrackerTest : public ::testing::Test {
 protected:
  metrics::Registry registry_;
  metrics::Gauge& active_ = registry_.gauge("active", "open").with({});
};

TEST_F(ConnectionTrackerTest, AdmitsUpToTheLimitAndCountsOpenConnections) {
  ConnectionTracker tracker(2, active_);
  auto first = tracker.try_admit();
  auto second = tracker.try_admit();
  EXPECT_TRUE(first && second);
  EXPECT_FALSE(tracker.try_admit()) << "third connection is over the limit";
  EXPECT_EQ(active_.value(), 2.0);
  first.reset();
  EXPECT_EQ(active_.value(), 1.0);
  EXPECT_TRUE(tracker.try_admit()) << "a closed connection frees its slot";
}

TEST_F(ConnectionTrackerTest, DrainReachesLiveSessionsAndReportsWhenTheLastOneCloses) {
  ConnectionTracker tracker(10, active_);
  auto session = std::make_shared<FakeSession>();
  auto ticket = tracker.try_admit();
  ticket->attach(session);
  int emptied = 0;
  tracker.drain_all([&] { ++emptied; });
  EXPECT_TRUE(tracker.draining());
  EXPECT_EQ(session->drained, 1);
  EXPECT_EQ(emptied, 0);
  EXPECT_FALSE(tracker.try_admit()) << "no new connections while draining";
  ticket.reset();
  EXPECT_EQ(emptied, 1);
}

TEST_F(ConnectionTrackerTest, DrainWithNoConnectionsReportsEmptyAtOnce) {
  ConnectionTracker tracker(10, active_);
  int emptied = 0;
  tracker.drain_all([&] { ++emptied; });
  EXPECT_EQ(emptied, 1);
}

}  // namespace
}  // namespace jk::server
