// The one paginated list (audit and the Reflector) against the fake API server: every page, the
// URL it asks for, a continue token that expires mid-list (410 Gone: start over, or give up
// after max_attempts), a page that is refused.
#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/unit/webhook/kube/fake_apiserver_process.h"
#include "webhook/kube/paged_list.h"

namespace jk::kube {
namespace {

using jk::testing::FakeApiServerProcess;
using jk::testing::node_json;
using namespace std::chrono_literals;

std::string state_with_nodes(int count) {
  std::string items;
  for (int i = 0; i < count; ++i) {
    if (i > 0) items += ",";
    items += node_json("node-" + std::to_string(i), "Bottlerocket OS 1.20.0 (aws-k8s-1.29)");
  }
  return R"({"nodes":[)" + items + "]}";
}

std::unique_ptr<HttpClient> client_for(const FakeApiServerProcess& fake) {
  ClientConfig config;
  config.host = "127.0.0.1";
  config.port = fake.port();
  config.server = "https://127.0.0.1:" + std::to_string(fake.port());
  config.tls_server_name = "localhost";
  config.ca_pem = fake.ca_pem();
  config.bearer_token = "t0k3n";
  HttpClientOptions options;
  options.connect_timeout = 2s;
  options.request_timeout = 5s;
  auto client = HttpClient::create(std::move(config), options);
  EXPECT_TRUE(client.ok()) << client.error().message;
  return std::move(client).value();
}

TEST(ListUrl, LimitSelectorAndContinueAreEscaped) {
  const ListQuery query{"/api/v1/pods", "spec.nodeName=a b&c", 50, 1};
  EXPECT_EQ(list_url(query, ""), "/api/v1/pods?limit=50&fieldSelector=spec.nodeName%3Da%20b%26c");
  EXPECT_EQ(list_url({"/api/v1/nodes", "", 3, 1}, "x+y="),
            "/api/v1/nodes?limit=3&continue=x%2By%3D");
}

class PagedListTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!jk::testing::python3_available()) GTEST_SKIP() << "python3 is needed for the fake API";
  }
};

TEST_F(PagedListTest, ReadsEveryPageInOrder) {
  FakeApiServerProcess fake(state_with_nodes(7), "t0k3n");
  auto client = client_for(fake);
  std::vector<std::size_t> pages;
  auto listed = list_all(*client, {"/api/v1/nodes", "", 3, 1},
                         {[&](std::size_t n) { pages.push_back(n); }, {}});
  ASSERT_TRUE(listed.ok()) << listed.error().message;
  ASSERT_EQ(listed->outcome, ListResult::Outcome::kComplete);
  ASSERT_EQ(listed->items.size(), 7U);
  for (std::size_t i = 0; i < 7; ++i)
    EXPECT_EQ(listed->items[i]["metadata"]["name"], "node-" + std::to_string(i));
  EXPECT_EQ(pages, (std::vector<std::size_t>{3, 3, 1}));
  EXPECT_FALSE(listed->resource_version.empty());
}

// After the first page the server forgets its snapshots: the continue token gives 410 Gone.
TEST_F(PagedListTest, AnExpiredContinueTokenStartsTheListOver) {
  FakeApiServerProcess fake(state_with_nodes(7), "t0k3n");
  auto client = client_for(fake);
  int pages = 0;
  int restarts = 0;
  const ListObserver observer{[&](std::size_t) {
                                if (++pages == 1) fake.control("compact", "{}");
                              },
                              [&] { ++restarts; }};
  auto listed = list_all(*client, {"/api/v1/nodes", "", 3, 3}, observer);
  ASSERT_TRUE(listed.ok()) << listed.error().message;
  ASSERT_EQ(listed->outcome, ListResult::Outcome::kComplete);
  EXPECT_EQ(restarts, 1);
  EXPECT_EQ(listed->items.size(), 7U);  // not 10: the first attempt's page is not kept
  EXPECT_EQ(pages, 4);                  // 1 + 3
}

TEST_F(PagedListTest, GivesUpAfterMaxAttemptsExpiredLists) {
  FakeApiServerProcess fake(state_with_nodes(7), "t0k3n");
  auto client = client_for(fake);
  int restarts = 0;
  const ListObserver observer{[&](std::size_t) { fake.control("compact", "{}"); },
                              [&] { ++restarts; }};
  auto listed = list_all(*client, {"/api/v1/nodes", "", 3, 2}, observer);
  ASSERT_TRUE(listed.ok()) << listed.error().message;
  EXPECT_EQ(listed->outcome, ListResult::Outcome::kExpired);
  EXPECT_TRUE(listed->items.empty());
  EXPECT_EQ(restarts, 1);
}

TEST_F(PagedListTest, ARefusedPageIsReportedWithItsStatusAndBody) {
  FakeApiServerProcess fake(state_with_nodes(2), "t0k3n");
  auto client = client_for(fake);
  fake.control("fail", R"({"count": 1, "status": 503})");
  auto listed = list_all(*client, {"/api/v1/nodes", "", 3, 3});
  ASSERT_TRUE(listed.ok()) << listed.error().message;
  EXPECT_EQ(listed->outcome, ListResult::Outcome::kRefused);
  EXPECT_EQ(listed->status, 503U);
  EXPECT_NE(listed->body.find("Status"), std::string::npos) << listed->body;
}

TEST_F(PagedListTest, AServerThatCannotBeReachedIsAnError) {
  FakeApiServerProcess fake(state_with_nodes(1), "t0k3n");
  auto client = client_for(fake);
  fake.control("drop", R"({"count": 5})");
  auto listed = list_all(*client, {"/api/v1/nodes", "", 3, 1});
  EXPECT_FALSE(listed.ok());
}

}  // namespace
}  // namespace jk::kube
