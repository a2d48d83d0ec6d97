// The live node inventory against the fake API server (a real TLS + chunked-watch subprocess):
// initial paginated list, watch events, reconnects, 410 relists, token rotation, TLS failures.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>

#include "tests/support/temp_certs.h"
#include "tests/unit/webhook/kube/fake_apiserver_process.h"
#include "webhook/inventory/live_source.h"
#include "webhook/kube/reflector_metrics.h"

namespace jk::inventory {
namespace {

using jk::testing::FakeApiServerProcess;
using jk::testing::node_json;
using namespace std::chrono_literals;

constexpr auto kConvergeTimeout = 10s;
constexpr auto kPoll = 10ms;

bool eventually(const std::function<bool()>& condition) {
  const auto deadline = std::chrono::steady_clock::now() + kConvergeTimeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(kPoll);
  }
  return condition();
}

std::string state_with_nodes(int count) {
  std::string items;
  for (int i = 0; i < count; ++i) {
    if (i > 0) items += ",";
    items += node_json("node-" + std::to_string(i), "Bottlerocket OS 1.20.0 (aws-k8s-1.29)");
  }
  return R"({"nodes":[)" + items + "]}";
}

std::set<std::string> names(const NodeSource& source) {
  std::set<std::string> out;
  for (const auto& node : source.snapshot()->nodes()) out.insert(node.name);
  return out;
}

std::set<std::string> node_names(int count) {
  std::set<std::string> out;
  for (int i = 0; i < count; ++i) out.insert("node-" + std::to_string(i));
  return out;
}

class LiveNodeSourceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!jk::testing::python3_available()) GTEST_SKIP() << "python3 is needed for the fake API";
  }

  static kube::ClientConfig config_for(const FakeApiServerProcess& fake) {
    kube::ClientConfig config;
    config.host = "127.0.0.1";
    config.port = fake.port();
    config.server = "https://127.0.0.1:" + std::to_string(fake.port());
    config.tls_server_name = "localhost";
    config.ca_pem = fake.ca_pem();
    config.bearer_token = "t0k3n";
    return config;
  }

  LiveNodeOptions options(std::chrono::milliseconds backoff = 20ms) {
    LiveNodeOptions o;
    o.reflector.page_limit = 3;
    o.reflector.backoff_initial = backoff;
    o.reflector.backoff_max = 4 * backoff;
    o.http.connect_timeout = 2s;
    o.http.request_timeout = 5s;
    o.http.watch_idle_timeout = 8s;
    o.hooks.on_watch_restart = [this] { ++watch_restarts_; };
    o.hooks.on_relist = [this] { ++relists_; };
    return o;
  }

  std::unique_ptr<LiveNodeSource> start(kube::ClientConfig config, LiveNodeOptions o) {
    auto source = LiveNodeSource::start(std::move(config), std::move(o));
    EXPECT_TRUE(source.ok()) << source.error().message;
    return std::move(source).value();
  }

  void compaction_relists(const std::string& expired_mode);

  std::atomic<int> watch_restarts_{0};
  std::atomic<int> relists_{0};
};

TEST_F(LiveNodeSourceTest, PaginatedInitialListMakesTheSourceReadyWithEveryNode) {
  FakeApiServerProcess fake(state_with_nodes(7), "t0k3n");
  auto source = start(config_for(fake), options());
  ASSERT_TRUE(eventually([&] { return source->ready(); })) << source->describe();
  EXPECT_EQ(names(*source), node_names(7));
  const auto requests = nlohmann::json::parse(fake.query("requests"))["requests"];
  int pages = 0;
  for (const auto& r : requests) {
    if (r["path"] == "/api/v1/nodes" && !r["watch"].get<bool>()) ++pages;
  }
  EXPECT_EQ(pages, 3);  // 7 nodes, limit 3
}

TEST_F(LiveNodeSourceTest, AddedModifiedAndDeletedEventsConverge) {
  FakeApiServerProcess fake(state_with_nodes(2), "t0k3n");
  auto source = start(config_for(fake), options());
  ASSERT_TRUE(eventually([&] { return source->ready(); })) << source->describe();

  fake.control("add", R"({"kind":"Node","object":)" + node_json("node-new", "Ubuntu") + "}");
  EXPECT_TRUE(eventually([&] { return names(*source).count("node-new") == 1; }));

  fake.control("modify",
               R"({"kind":"Node","object":)" + node_json("node-new", "Amazon Linux 2023") + "}");
  EXPECT_TRUE(eventually([&] {
    const auto snapshot = source->snapshot();
    const auto* node = snapshot->by_name("node-new");
    return node != nullptr && node->os_image == "Amazon Linux 2023";
  }));

  fake.control("delete", R"({"kind":"Node","name":"node-0"})");
  EXPECT_TRUE(eventually([&] {
    return names(*source) == std::set<std::string>{"node-1", "node-new"};
  })) << source->describe();
}

TEST_F(LiveNodeSourceTest, ReconnectsAfterTheWatchIsCutAndKeepsTheView) {
  FakeApiServerProcess fake(state_with_nodes(2), "t0k3n");
  auto source = start(config_for(fake), options());
  ASSERT_TRUE(eventually([&] { return source->ready(); }));

  fake.control("wait-watches", R"({"count":1,"timeoutSeconds":5})");
  fake.control("disconnect", R"({"midChunk":true})");
  EXPECT_EQ(names(*source), node_names(2));  // the last good view is kept
  fake.control("add", R"({"kind":"Node","object":)" + node_json("node-late", "Ubuntu") + "}");
  EXPECT_TRUE(eventually([&] { return names(*source).count("node-late") == 1; }));
  EXPECT_GE(watch_restarts_.load(), 1);
  EXPECT_EQ(relists_.load(), 0);
}

TEST_F(LiveNodeSourceTest, CompactionWhileDisconnectedGivesGoneAndARelist) {
  // The server says "too old" either as an ERROR event in a 200 stream or as a plain HTTP 410.
  // event-string-code: the ERROR event's Status code is "410", a string (it aborted the
  // reflector thread with nlohmann::type_error); the reason Expired still says Gone.
  for (const std::string mode : {"event", "http", "event-string-code"}) {
    SCOPED_TRACE("watch-expired-mode " + mode);
    compaction_relists(mode);
  }
}

void LiveNodeSourceTest::compaction_relists(const std::string& expired_mode) {
  FakeApiServerProcess fake(state_with_nodes(2), "t0k3n");
  fake.control("watch-expired-mode", R"({"mode":")" + expired_mode + R"("})");
  const int relists_before = relists_.load();
  auto source = start(config_for(fake), options());
  ASSERT_TRUE(eventually([&] { return source->ready(); })) << source->describe();

  fake.control("wait-watches", R"({"count":1,"timeoutSeconds":5})");
  // Keep the client out (401) while the store changes and is compacted.
  fake.control("token", R"({"token":"locked-out"})");
  fake.control("disconnect", R"({"midChunk":true})");
  const auto closed = fake.control("wait-watches", R"({"count":0,"timeoutSeconds":5})");
  EXPECT_TRUE(nlohmann::json::parse(closed)["reached"].get<bool>());
  fake.control("delete", R"({"kind":"Node","name":"node-1"})");
  fake.control("add", R"({"kind":"Node","object":)" + node_json("node-2", "Ubuntu") + "}");
  fake.control("compact", "{}");
  EXPECT_EQ(names(*source), node_names(2));  // the last good view is kept meanwhile
  fake.control("token", R"({"token":"t0k3n"})");

  EXPECT_TRUE(eventually([&] {
    return names(*source) == std::set<std::string>{"node-0", "node-2"};
  })) << source->describe();
  EXPECT_GT(relists_.load(), relists_before);
}

TEST_F(LiveNodeSourceTest, AWatchThatGoesQuietLongerThanTheIdleTimeoutIsRestarted) {
  FakeApiServerProcess fake(state_with_nodes(1), "t0k3n");
  auto o = options();
  o.http.watch_idle_timeout = 300ms;
  auto source = start(config_for(fake), std::move(o));

  EXPECT_TRUE(eventually([&] { return watch_restarts_.load() >= 1; }));
  // The restart hook runs before the error is recorded: wait for both.
  EXPECT_TRUE(eventually([&] {
    return source->last_error().find("no data for 300 ms") != std::string::npos;
  })) << source->describe();
  EXPECT_TRUE(source->ready());
  EXPECT_EQ(names(*source), node_names(1));
}

TEST_F(LiveNodeSourceTest, WrongTokenIsSurfacedThenTheRotatedTokenFileRecovers) {
  FakeApiServerProcess fake(state_with_nodes(1), "right");
  jk::testing::TempDir dir;
  const std::string token_file = dir.file("token");
  jk::testing::write_file(token_file, "wrong\n");
  auto config = config_for(fake);
  config.bearer_token.clear();
  config.token_file = token_file;
  auto source = start(config, options());

  ASSERT_TRUE(eventually([&] { return source->last_error().find("401") != std::string::npos; }))
      << source->describe();
  EXPECT_FALSE(source->ready());

  jk::testing::write_file(token_file, "right\n");
  EXPECT_TRUE(eventually([&] { return source->ready(); })) << source->describe();
  EXPECT_EQ(names(*source), node_names(1));
}

TEST_F(LiveNodeSourceTest, ServerCertificateFromAnotherCaFailsVerification) {
  FakeApiServerProcess fake(state_with_nodes(1), "t0k3n");
  const jk::testing::TestCa other("some other CA");
  auto config = config_for(fake);
  config.ca_pem = other.cert_pem();
  auto source = start(config, options());

  EXPECT_TRUE(eventually([&] {
    return source->last_error().find("certificate verify failed") != std::string::npos;
  })) << source->describe();
  EXPECT_FALSE(source->ready());
  EXPECT_EQ(source->snapshot()->size(), 0U);
}

TEST_F(LiveNodeSourceTest, ServerNameThatTheCertificateDoesNotCoverFailsVerification) {
  FakeApiServerProcess fake(state_with_nodes(1), "t0k3n");
  auto config = config_for(fake);
  config.tls_server_name = "api.example.com";
  auto source = start(config, options());

  EXPECT_TRUE(eventually([&] {
    return source->last_error().find("certificate verify failed") != std::string::npos;
  })) << source->describe();
  EXPECT_FALSE(source->ready());
}

TEST_F(LiveNodeSourceTest, ReflectorMetricsCountRestartsAndRecordTheLastSync) {
  FakeApiServerProcess fake(state_with_nodes(1), "t0k3n");
  metrics::Registry registry;
  kube::ReflectorMetrics reflector_metrics(registry);
  auto o = options();
  o.hooks = reflector_metrics.hooks("nodes");
  auto source = start(config_for(fake), std::move(o));
  ASSERT_TRUE(eventually([&] { return source->ready(); })) << source->describe();
  fake.control("wait-watches", R"({"count":1,"timeoutSeconds":5})");
  fake.control("disconnect", R"({"midChunk":true})");

  const std::string restarted = R"(jailkeeper_kube_watch_restarts_total{resource="nodes"} 1)";
  EXPECT_TRUE(eventually([&] { return registry.render().find(restarted) != std::string::npos; }))
      << registry.render();
  const std::string text = registry.render();
  EXPECT_NE(text.find(R"(jailkeeper_kube_relists_total{resource="nodes"} 0)"), std::string::npos);
  EXPECT_EQ(text.find(R"(jailkeeper_kube_last_sync_timestamp_seconds{resource="nodes"} 0)"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find(R"(jailkeeper_kube_last_sync_timestamp_seconds{resource="nodes"})"),
            std::string::npos)
      << text;
}

}  // namespace
}  // namespace jk::inventory
