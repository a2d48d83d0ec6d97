// NodeStore: a complete list publishes at once; watch events are batched into one publish and
// changes the decision cannot see publish nothing.
#include "webhook/inventory/node_store.h"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>

namespace jk::inventory {
namespace {

using kube::EventType;
using nlohmann::json;

json node(const std::string& name, const std::string& os_image = "Amazon Linux 2023.6.20250115",
          const std::string& heartbeat = "t0") {
  return json{{"metadata", {{"name", name}, {"labels", {{"pool", "a"}}}}},
              {"status",
               {{"nodeInfo", {{"osImage", os_image}, {"kernelVersion", "6.1.0"}}},
                {"conditions", {{{"type", "Ready"}, {"lastHeartbeatTime", heartbeat}}}}}}};
}

struct Published {
  std::vector<std::vector<std::string>> views;
  void operator()(const std::vector<policy::Node>& nodes) {
    std::vector<std::string> names;
    for (const auto& n : nodes) names.push_back(n.name + ":" + std::string(policy::os_name(n.os)));
    views.push_back(std::move(names));
  }
};

constexpr std::chrono::milliseconds kInterval{10};

TEST(NodeStore, ACompleteListIsPublishedBeforeReplaceReturns) {
  Published out;
  NodeStore store([&](std::vector<policy::Node> n) { out(n); }, kInterval);
  store.replace({node("b"), node("a")});
  ASSERT_EQ(out.views.size(), 1u);
  EXPECT_EQ(out.views[0], (std::vector<std::string>{"a:amazon-linux", "b:amazon-linux"}));
}

TEST(NodeStore, WatchEventsWaitForTheNextFlushAndArePublishedTogether) {
  Published out;
  NodeStore store([&](std::vector<policy::Node> n) { out(n); }, kInterval);
  store.replace({node("a")});
  store.apply(EventType::kAdded, node("b"));
  store.apply(EventType::kModified, node("a", "Bottlerocket OS 1.20.0 (aws-k8s-1.29)"));
  store.apply(EventType::kDeleted, node("b"));
  ASSERT_EQ(out.views.size(), 1u) << "events published one by one";
  EXPECT_TRUE(store.flush());
  ASSERT_EQ(out.views.size(), 2u);
  EXPECT_EQ(out.views[1], std::vector<std::string>{"a:bottlerocket"});
  EXPECT_FALSE(store.flush()) << "nothing changed since";
}

TEST(NodeStore, ModificationsTheDecisionDoesNotReadPublishNothing) {
  Published out;
  NodeStore store([&](std::vector<policy::Node> n) { out(n); }, kInterval);
  store.replace({node("a")});
  store.apply(EventType::kModified, node("a", "Amazon Linux 2023.6.20250115", "t1"));
  store.apply(EventType::kDeleted, node("never-seen"));
  EXPECT_FALSE(store.flush());
  EXPECT_EQ(out.views.size(), 1u);
}

TEST(NodeStore, UndecodableNodeIsLeftOutAndTheRestStays) {
  Published out;
  NodeStore store([&](std::vector<policy::Node> n) { out(n); }, kInterval);
  json bad = node("bad");
  bad["metadata"]["labels"] = json::array();
  store.replace({node("a"), bad});
  EXPECT_EQ(out.views.back(), std::vector<std::string>{"a:amazon-linux"});
  EXPECT_EQ(store.size(), 1u);
}

TEST(NodeStore, ThePublisherThreadPublishesBatchedEventsWithoutAFlush) {
  std::mutex mutex;
  std::condition_variable cv;
  std::vector<std::size_t> sizes;
  NodeStore store(
      [&](std::vector<policy::Node> n) {
        std::lock_guard lock(mutex);
        sizes.push_back(n.size());
        cv.notify_all();
      },
      kInterval);
  store.replace({});
  store.start_publisher();
  for (int i = 0; i < 100; ++i) store.apply(EventType::kAdded, node("n" + std::to_string(i)));
  std::unique_lock lock(mutex);
  // Waits for an event (a publish), not for time; the bound only keeps a broken build from hanging.
  ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(30), [&] { return sizes.back() == 100; }));
  EXPECT_LT(sizes.size(), 101u) << "one publish per event";
}

}  // namespace
}  // namespace jk::inventory
