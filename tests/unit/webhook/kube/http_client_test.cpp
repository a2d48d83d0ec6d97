// kube::HttpClient against the fake API server: GETs and writes with any verb on a kept-alive
// connection, statuses as values, streaming watches that stop on request, and TLS trust settings.
#include "webhook/kube/http_client.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/temp_certs.h"
#include "tests/unit/webhook/kube/fake_apiserver_process.h"

namespace jk::kube {
namespace {

using jk::testing::FakeApiServerProcess;
using namespace std::chrono_literals;

constexpr auto kWaitLimit = 10s;

const std::string kTwoNodes = "{\"nodes\":[" + jk::testing::node_json("a", "Ubuntu") + "," +
                              jk::testing::node_json("b", "Ubuntu") + "]}";

class HttpClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!jk::testing::python3_available()) GTEST_SKIP() << "python3 is needed for the fake API";
    fake_ = std::make_unique<FakeApiServerProcess>(kTwoNodes, "t0k3n");
  }

  [[nodiscard]] ClientConfig config() const {
    ClientConfig c;
    c.host = "127.0.0.1";
    c.port = fake_->port();
    c.server = "https://127.0.0.1:" + std::to_string(fake_->port());
    c.ca_pem = fake_->ca_pem();
    c.bearer_token = "t0k3n";
    return c;
  }

  static std::unique_ptr<HttpClient> client(ClientConfig c) {
    HttpClientOptions options;
    options.connect_timeout = 2s;
    options.request_timeout = 5s;
    options.watch_idle_timeout = 5s;
    auto created = HttpClient::create(std::move(c), options);
    EXPECT_TRUE(created.ok()) << created.error().message;
    return std::move(created).value();
  }

  std::unique_ptr<FakeApiServerProcess> fake_;
};

TEST_F(HttpClientTest, GetAnswersStatusAndBodyOnOneKeptAliveClient) {
  struct Case {
    std::string path;
    unsigned status;
    std::string body_contains;
  };
  const std::vector<Case> cases = {
      {"/version", 200, "v1.31.0-fake"},
      {"/api/v1/nodes/a", 200, "\"name\": \"a\""},
      {"/api/v1/nodes/missing", 404, "NotFound"},
      {"/api/v1/nodes?limit=1", 200, "\"continue\""},
  };
  auto http = client(config());  // IP literal 127.0.0.1 verified against the certificate's IP
  for (const auto& c : cases) {
    auto response = http->get(c.path);
    ASSERT_TRUE(response.ok()) << c.path << ": " << response.error().message;
    EXPECT_EQ(response->status, c.status) << c.path;
    EXPECT_NE(response->body.find(c.body_contains), std::string::npos) << c.path << response->body;
  }
}

TEST_F(HttpClientTest, RequestsWithAnyVerbAndBodyShareOneKeptAliveClient) {
  const std::string secrets = "/api/v1/namespaces/ns/secrets";
  const std::string secret = secrets + "/s";
  const std::string json_patch = "application/json-patch+json";
  struct Case {
    ApiRequest request;
    unsigned status;
    std::string body_contains;
  };
  const std::vector<Case> cases = {
      {{"POST", secrets, R"({"metadata":{"name":"s"},"data":{"k":"dg=="}})"}, 201, "dg=="},
      {{"POST", secrets, R"({"metadata":{"name":"s"}})"}, 409, "AlreadyExists"},
      {{"PATCH", secret, R"([{"op":"add","path":"/data/k2","value":"eA=="}])", json_patch},
       200,
       "eA=="},
      {{"PATCH", secret, R"([])", "application/json"}, 415, "UnsupportedMediaType"},
      {{"PUT", secret, R"({"metadata":{"name":"s","resourceVersion":"1"}})"}, 409, "Conflict"},
      {{"GET", secret, "", ""}, 200, "eA=="},
      {{"DELETE", secret, "", ""}, 200, "Success"},
      {{"DELETE", secret, "", ""}, 404, "NotFound"},
  };
  auto http = client(config());
  for (const auto& c : cases) {
    const std::string what = c.request.method + " " + c.request.path;
    auto response = http->request(c.request);
    ASSERT_TRUE(response.ok()) << what << ": " << response.error().message;
    EXPECT_EQ(response->status, c.status) << what << ": " << response->body;
    EXPECT_NE(response->body.find(c.body_contains), std::string::npos) << what << response->body;
  }
}

TEST_F(HttpClientTest, UnknownMethodIsAnErrorNamingIt) {
  auto response = client(config())->request({"FROB", "/version", "", ""});
  ASSERT_FALSE(response.ok());
  EXPECT_NE(response.error().message.find("unknown HTTP method FROB"), std::string::npos)
      << response.error().message;
}

TEST_F(HttpClientTest, WrongTokenIsA401Value) {
  auto c = config();
  c.bearer_token = "nope";
  auto response = client(c)->get("/version");
  ASSERT_TRUE(response.ok()) << response.error().message;
  EXPECT_EQ(response->status, 401U);
}

TEST_F(HttpClientTest, WatchDeliversOneEventPerLineUntilTheHandlerStops) {
  std::vector<std::string> lines;
  auto response = client(config())->watch(
      "/api/v1/nodes?watch=true",
      [&](std::string_view line) {
        lines.emplace_back(line);
        return lines.size() < 2;
      },
      std::stop_token());
  ASSERT_TRUE(response.ok()) << response.error().message;
  EXPECT_EQ(response->status, 200U);
  ASSERT_EQ(lines.size(), 2U);
  EXPECT_NE(lines[0].find("\"ADDED\""), std::string::npos) << lines[0];
}

TEST_F(HttpClientTest, StopRequestEndsAnOpenWatchPromptly) {
  auto http = client(config());
  std::atomic<int> lines{0};
  std::stop_source stop;
  Result<HttpResponse> result = make_error("not run");
  std::thread watcher([&] {
    result = http->watch(
        "/api/v1/nodes?watch=true",
        [&](std::string_view) {
          ++lines;
          return true;
        },
        stop.get_token());
  });
  const auto deadline = std::chrono::steady_clock::now() + kWaitLimit;
  while (lines.load() < 2 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(10ms);
  }
  stop.request_stop();  // the stream stays open (no timeoutSeconds): only the stop ends it
  watcher.join();
  EXPECT_EQ(lines.load(), 2);
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(result->status, 200U);
}

TEST_F(HttpClientTest, CancelAbortsAGetThatIsStillWaitingForItsAnswer) {
  fake_->control("delay", R"({"seconds":30})");
  auto http = client(config());  // request timeout 5 s: a timeout would say "timed out"
  Result<HttpResponse> result = make_error("not run");
  std::thread caller([&] { result = http->get("/version"); });
  std::this_thread::sleep_for(100ms);  // let the request go out (cancel works either way)
  http->cancel();
  caller.join();
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().message.find("timed out"), std::string::npos) << result.error().message;
  EXPECT_FALSE(http->get("/version").ok()) << "a cancelled client stays cancelled";
}

TEST_F(HttpClientTest, TrustSettingsDecideWhetherAnUnknownCaIsAccepted) {
  const jk::testing::TestCa other("some other CA");
  struct Case {
    std::string name;
    bool insecure;
    bool ok;
  };
  for (const Case& c : std::vector<Case>{{"verified", false, false}, {"insecure", true, true}}) {
    auto config_case = config();
    config_case.ca_pem = other.cert_pem();
    config_case.insecure_skip_tls_verify = c.insecure;
    auto response = client(config_case)->get("/version");
    EXPECT_EQ(response.ok(), c.ok) << c.name;
    if (!response.ok()) {
      EXPECT_NE(response.error().message.find("certificate verify failed"), std::string::npos)
          << response.error().message;
    }
  }
}

}  // namespace
}  // namespace jk::kube
