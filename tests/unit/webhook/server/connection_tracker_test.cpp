// One listener's connection budget: admission against max_connections, reclaiming the
// longest-idle connection at the limit instead of refusing, and the two shutdown phases.
#include "webhook/server/connection_tracker.h"

#include <gtest/gtest.h>

#include <vector>

namespace jk::server {
namespace {

struct FakeSession : Drainable {
  std::vector<bool> asked;  // fresh_too of every close_when_idle
  void close_when_idle(bool fresh_too) override { asked.push_back(fresh_too); }
};

class ConnectionTrackerTest : public ::testing::Test {
 protected:
  TrackerMetrics metrics() {
    return {registry_.gauge("active", "open").with({}), registry_.gauge("idle", "idle").with({}),
            registry_.counter("rejected", "refused").with({}),
            registry_.counter("reclaimed", "closed idle").with({})};
  }
  // A ticket with a session attached.
  std::pair<ConnectionTracker::Ticket, std::shared_ptr<FakeSession>> admit(ConnectionTracker& t) {
    auto ticket = t.try_admit();
    EXPECT_TRUE(ticket);
    auto session = std::make_shared<FakeSession>();
    ticket->attach(session);
    return {std::move(*ticket), session};
  }
  double value(const char* name) {
    const std::string text = registry_.render();
    const auto at = text.find(std::string("\n") + name + " ");
    return at == std::string::npos ? -1 : std::stod(text.substr(at + std::string(name).size() + 2));
  }
  metrics::Registry registry_;
};

TEST_F(ConnectionTrackerTest, AdmitsUpToTheLimitAndRefusesWhenEveryConnectionIsBusy) {
  ConnectionTracker tracker(2, metrics());
  auto first = tracker.try_admit();
  auto second = tracker.try_admit();
  EXPECT_TRUE(first && second);
  EXPECT_FALSE(tracker.try_admit()) << "third connection is over the limit, none idle";
  EXPECT_EQ(value("active"), 2.0);
  EXPECT_EQ(value("rejected"), 1.0);
  first.reset();
  EXPECT_EQ(value("active"), 1.0);
  EXPECT_TRUE(tracker.try_admit()) << "a closed connection frees its slot";
}

TEST_F(ConnectionTrackerTest, AtTheLimitTheLongestIdleConnectionIsReclaimed) {
  ConnectionTracker tracker(3, metrics());
  auto [a, session_a] = admit(tracker);
  auto [b, session_b] = admit(tracker);
  auto [c, session_c] = admit(tracker);
  b.set_idle(true);  // idle first: the oldest idle
  a.set_idle(true);
  auto d = tracker.try_admit();
  ASSERT_TRUE(d) << "an idle connection makes room";
  EXPECT_EQ(session_b->asked, std::vector<bool>{true}) << "the longest idle one is asked to close";
  EXPECT_TRUE(session_a->asked.empty());
  EXPECT_TRUE(session_c->asked.empty());
  EXPECT_EQ(value("reclaimed"), 1.0);
  // b still counts until it is gone, but is already leaving: the next one reclaims a.
  auto e = tracker.try_admit();
  ASSERT_TRUE(e);
  EXPECT_EQ(session_a->asked, std::vector<bool>{true});
  EXPECT_FALSE(tracker.try_admit()) << "c, d and e are busy";
  EXPECT_EQ(tracker.count(), 5U) << "b and a leave when their sessions close";
}

TEST_F(ConnectionTrackerTest, AConnectionThatTurnedBusyIsNotReclaimed) {
  ConnectionTracker tracker(1, metrics());
  auto [a, session_a] = admit(tracker);
  a.set_idle(true);
  a.set_idle(false);  // a request arrived
  EXPECT_FALSE(tracker.try_admit());
  EXPECT_TRUE(session_a->asked.empty());
  EXPECT_EQ(tracker.idle_count(), 0U);
}

TEST_F(ConnectionTrackerTest, ShutdownDrainsThenClosesIdleSessionsAndReportsWhenTheLastCloses) {
  ConnectionTracker tracker(10, metrics());
  auto [ticket, session] = admit(tracker);
  tracker.start_draining();
  EXPECT_TRUE(tracker.draining());
  EXPECT_TRUE(session->asked.empty()) << "phase 1 closes nothing";
  EXPECT_TRUE(tracker.try_admit()) << "phase 1 still admits (the listener is open)";
  int emptied = 0;
  tracker.close_idle([&] { ++emptied; });
  EXPECT_EQ(session->asked, std::vector<bool>{false}) << "a shutdown spares fresh connections";
  EXPECT_EQ(emptied, 0);
  EXPECT_FALSE(tracker.try_admit()) << "no new connections once closing";
  { auto gone = std::move(ticket); }
  EXPECT_EQ(emptied, 1);
}

TEST_F(ConnectionTrackerTest, CloseIdleWithNoConnectionsReportsEmptyAtOnce) {
  ConnectionTracker tracker(10, metrics());
  int emptied = 0;
  tracker.close_idle([&] { ++emptied; });
  EXPECT_EQ(emptied, 1);
}

}  // namespace
}  // namespace jk::server
