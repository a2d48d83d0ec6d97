// LiveNamespaceSource against the fake API server: ready after the first list, labels follow
// ADDED/MODIFIED/DELETED, the size hook reports the view, and the view survives a cut watch.
#include "webhook/inventory/live_namespace_source.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <thread>

#include "tests/unit/webhook/kube/fake_apiserver_process.h"

namespace jk::inventory {
namespace {

using jk::testing::FakeApiServerProcess;
using namespace std::chrono_literals;

constexpr auto kConvergeTimeout = 10s;
constexpr auto kPoll = 10ms;

// Polls a condition that another thread makes true (the watch); bounded so a bug fails.
bool eventually(const std::function<bool()>& condition) {
  const auto deadline = std::chrono::steady_clock::now() + kConvergeTimeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(kPoll);
  }
  return condition();
}

std::string namespace_json(const std::string& name, const std::string& labels_json) {
  return R"({"apiVersion":"v1","kind":"Namespace","metadata":{"name":")" + name + R"(","labels":)" +
         labels_json + "}}";
}

std::string label_of(const NamespaceSource& source, const std::string& ns, const std::string& key) {
  const auto snapshot = source.snapshot();
  const policy::Labels* labels = snapshot->labels(ns);
  if (labels == nullptr) return "<unknown>";
  const auto it = labels->find(key);
  return it == labels->end() ? "<none>" : it->second;
}

class LiveNamespaceSourceTest : public ::testing::Test {
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

  std::unique_ptr<LiveNamespaceSource> start(const FakeApiServerProcess& fake) {
    LiveNamespaceOptions o;
    o.reflector.page_limit = 2;
    o.reflector.backoff_initial = 20ms;
    o.reflector.backoff_max = 80ms;
    o.http.connect_timeout = 2s;
    o.http.request_timeout = 5s;
    o.http.watch_idle_timeout = 8s;
    o.on_published = [this](std::size_t n) { published_size_ = n; };
    auto source = LiveNamespaceSource::start(config_for(fake), std::move(o));
    EXPECT_TRUE(source.ok()) << source.error().message;
    return std::move(source).value();
  }

  std::atomic<std::size_t> published_size_{0};
};

const std::string kInject = "jailkeeper.io/inject";

TEST_F(LiveNamespaceSourceTest, FirstListMakesItReadyAndChangesFollowTheWatch) {
  FakeApiServerProcess fake(
      R"({"namespaces":[)" + namespace_json("agents", R"({"jailkeeper.io/inject":"enabled"})") +
          "," + namespace_json("legacy", "{}") + "," + namespace_json("kube-system", "{}") + "]}",
      "t0k3n");
  auto source = start(fake);
  ASSERT_TRUE(eventually([&] { return source->ready(); })) << source->describe();
  EXPECT_EQ(label_of(*source, "agents", kInject), "enabled");
  EXPECT_EQ(label_of(*source, "legacy", kInject), "<none>");
  EXPECT_EQ(published_size_.load(), 3u);

  fake.control("modify", R"({"kind":"Namespace","object":)" +
                             namespace_json("legacy", R"({"jailkeeper.io/inject":"enabled"})") +
                             "}");
  EXPECT_TRUE(eventually([&] { return label_of(*source, "legacy", kInject) == "enabled"; }));

  fake.control("disconnect", "{}");
  fake.control("add", R"({"kind":"Namespace","object":)" + namespace_json("team-b", "{}") + "}");
  EXPECT_TRUE(eventually([&] { return label_of(*source, "team-b", kInject) == "<none>"; }));
  EXPECT_EQ(label_of(*source, "agents", kInject), "enabled") << "view kept across the cut";

  fake.control("delete", R"({"kind":"Namespace","name":"agents"})");
  EXPECT_TRUE(eventually([&] { return label_of(*source, "agents", kInject) == "<unknown>"; }));
  EXPECT_TRUE(eventually([&] { return published_size_.load() == 3u; }));
}

TEST_F(LiveNamespaceSourceTest, NotReadyWhileTheTokenIsRejectedAndSaysWhy) {
  FakeApiServerProcess fake(R"({"namespaces":[]})", "other-token");
  auto source = start(fake);
  ASSERT_TRUE(eventually([&] { return source->last_error().find("401") != std::string::npos; }))
      << source->describe();
  EXPECT_FALSE(source->ready());
  EXPECT_NE(source->describe().find("not ready"), std::string::npos);
}

}  // namespace
}  // namespace jk::inventory
