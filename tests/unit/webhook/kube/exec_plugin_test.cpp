// Exec credential plugins, as kubectl runs them: the real HttpClient against the fake API
// server, authenticated by tests/support/exec_plugin.py (a stand-in for `aws eks get-token`)
// whose runs, KUBERNETES_EXEC_INFO and arguments are recorded in a temporary directory.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "common/base64.h"
#include "tests/support/temp_certs.h"
#include "tests/unit/webhook/kube/fake_apiserver_process.h"
#include "webhook/kube/exec_authenticator.h"
#include "webhook/kube/http_client.h"

namespace jk::kube {
namespace {

using jk::testing::FakeApiServerProcess;
using namespace std::chrono_literals;
using nlohmann::json;

const std::string kPlugin = std::string(JK_SOURCE_DIR) + "/tests/support/exec_plugin.py";
const std::string kState = "{\"nodes\":[" + jk::testing::node_json("a", "Ubuntu") + "]}";
constexpr std::string_view kFuture = "2999-01-01T00:00:00Z";
constexpr std::string_view kPast = "2000-01-01T00:00:00Z";

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class ExecPluginTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!jk::testing::python3_available()) GTEST_SKIP() << "python3 is needed for the fake API";
  }

  void start_api(const std::string& token, const std::vector<std::string>& more = {},
                 bool client_certs = false) {
    fake_ = std::make_unique<FakeApiServerProcess>(kState, token, more, client_certs);
  }

  // The exec block of a kubeconfig user "u" running the fake plugin in `mode`.
  [[nodiscard]] ExecConfig exec(const std::string& mode, std::string_view expiry) const {
    ExecConfig e;
    e.api_version = "client.authentication.k8s.io/v1";
    e.command = kPlugin;
    e.args = {"eks", "get-token", "--cluster-name", "test"};
    e.env = {{"JK_DIR", dir_.path()}, {"JK_MODE", mode}, {"JK_EXPIRY", std::string(expiry)}};
    e.interactive_mode = ExecInteractiveMode::kNever;
    e.field_path = "users[name=u].user.exec";
    return e;
  }

  [[nodiscard]] ClientConfig config(ExecConfig e) const {
    ClientConfig c;
    c.host = "127.0.0.1";
    c.port = fake_->port();
    c.server = "https://127.0.0.1:" + std::to_string(fake_->port());
    c.tls_server_name = c.host;
    c.ca_pem = fake_->ca_pem();
    c.exec = std::move(e);
    return c;
  }

  static std::unique_ptr<HttpClient> client(ClientConfig c) {
    HttpClientOptions options;
    options.connect_timeout = 5s;
    options.request_timeout = 10s;
    auto created = HttpClient::create(std::move(c), options);
    EXPECT_TRUE(created.ok()) << created.error().message;
    return std::move(created).value();
  }

  [[nodiscard]] int runs() const {
    const std::string text = slurp(dir_.file("count"));
    return text.empty() ? 0 : std::stoi(text);
  }
  [[nodiscard]] json info(int run) const {
    return json::parse(slurp(dir_.file("info-" + std::to_string(run))));
  }
  // (status, token) of every API request so far, in order.
  [[nodiscard]] std::vector<std::pair<int, std::string>> requests() const {
    std::vector<std::pair<int, std::string>> out;
    const json log = json::parse(fake_->query("requests"));
    for (const auto& r : log["requests"]) {
      out.emplace_back(r["status"].get<int>(),
                       r["token"].is_string() ? r["token"].get<std::string>() : "");
    }
    return out;
  }

  jk::testing::TempDir dir_;
  std::unique_ptr<FakeApiServerProcess> fake_;
};

using Requests = std::vector<std::pair<int, std::string>>;

TEST_F(ExecPluginTest, TokenIsCachedUntilItsExpirationTimestamp) {
  start_api("tok-1");
  auto http = client(config(exec("token", kFuture)));
  for (int i = 0; i < 3; ++i) {
    auto r = http->get("/api/v1/nodes/a");
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->status, 200U);
  }
  EXPECT_EQ(runs(), 1);
  EXPECT_EQ(requests(), (Requests{{200, "tok-1"}, {200, "tok-1"}, {200, "tok-1"}}));
}

TEST_F(ExecPluginTest, ExpiredTokenRunsThePluginAgain) {
  start_api("tok-1", {"tok-2"});
  auto http = client(config(exec("token", kPast)));
  ASSERT_EQ(http->get("/api/v1/nodes/a")->status, 200U);
  ASSERT_EQ(http->get("/api/v1/nodes/a")->status, 200U);
  EXPECT_EQ(runs(), 2);
  EXPECT_EQ(requests(), (Requests{{200, "tok-1"}, {200, "tok-2"}}));
}

TEST_F(ExecPluginTest, UnauthorizedRunsThePluginOnceMoreAndRetriesTheRequest) {
  start_api("tok-2");  // the first token the plugin prints was revoked
  auto http = client(config(exec("token", kFuture)));
  auto r = http->get("/api/v1/nodes/a");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->status, 200U);
  EXPECT_EQ(runs(), 2);
  EXPECT_EQ(requests(), (Requests{{401, "tok-1"}, {200, "tok-2"}}));
}

TEST_F(ExecPluginTest, UnauthorizedAgainIsReturnedAfterOneRerun) {
  start_api("never-printed");
  auto http = client(config(exec("token", kFuture)));
  auto r = http->get("/api/v1/nodes/a");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->status, 401U);
  EXPECT_EQ(runs(), 2);
  EXPECT_EQ(requests(), (Requests{{401, "tok-1"}, {401, "tok-2"}}));
}

TEST_F(ExecPluginTest, ClientCertificateFromTheCredentialStatus) {
  start_api("", {}, /*client_certs=*/true);
  const auto issued = fake_->ca().issue({.common_name = "eks-admin",
                                         .dns_names = {},
                                         .ip_addresses = {},
                                         .serial = 7,
                                         .client = true});
  jk::testing::write_file(dir_.file("client.crt"), issued.cert_pem);
  jk::testing::write_file(dir_.file("client.key"), issued.key_pem);
  auto http = client(config(exec("cert", kFuture)));
  auto r = http->get("/api/v1/nodes/a");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->status, 200U);
  const auto log = json::parse(fake_->query("requests"))["requests"];
  ASSERT_EQ(log.size(), 1U);
  EXPECT_EQ(log[0]["user"], "eks-admin");
  EXPECT_TRUE(log[0]["token"].is_null());
}

TEST_F(ExecPluginTest, PluginReadsItsArgumentsEnvAndExecInfo) {
  start_api("tok-1");
  ExecConfig e = exec("token", kFuture);
  e.provide_cluster_info = true;
  const ClientConfig c = config(e);
  ASSERT_EQ(client(c)->get("/api/v1/nodes/a")->status, 200U);
  EXPECT_EQ(json::parse(slurp(dir_.file("argv"))),
            json({"eks", "get-token", "--cluster-name", "test"}));
  const json i = info(1);
  EXPECT_EQ(i["apiVersion"], "client.authentication.k8s.io/v1");
  EXPECT_EQ(i["kind"], "ExecCredential");
  EXPECT_EQ(i["spec"]["interactive"], false);
  EXPECT_EQ(i["spec"]["cluster"]["server"], c.server);
  EXPECT_EQ(i["spec"]["cluster"]["certificate-authority-data"], base64_encode(c.ca_pem));
  EXPECT_EQ(slurp(dir_.file("stdin-1")), "not-tty");  // Never: stdin is /dev/null
  EXPECT_EQ(slurp(dir_.file("fds-1")), "[]");  // not the client's connection, nor anything else
}

TEST_F(ExecPluginTest, NoClusterInfoUnlessAskedFor) {
  start_api("tok-1");
  ASSERT_EQ(client(config(exec("token", kFuture)))->get("/api/v1/nodes/a")->status, 200U);
  EXPECT_FALSE(info(1)["spec"].contains("cluster"));
}

// Errors name the plugin and the kubeconfig field, and say what went wrong.
struct Broken {
  std::string name;
  std::string mode;
  std::string command;  // "" = the fake plugin
  std::string install_hint;
  std::vector<std::string> expected;
};

class ExecPluginErrors : public ExecPluginTest, public ::testing::WithParamInterface<Broken> {};

TEST_P(ExecPluginErrors, SayWhichPluginAndWhy) {
  const Broken& b = GetParam();
  start_api("tok-1");
  ExecConfig e = exec(b.mode, kFuture);
  if (!b.command.empty()) e.command = b.command;
  e.install_hint = b.install_hint;
  auto r = client(config(e))->get("/api/v1/nodes/a");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("exec plugin " + e.command + " (users[name=u].user.exec)"),
            std::string::npos)
      << r.error().message;
  for (const auto& text : b.expected) {
    EXPECT_NE(r.error().message.find(text), std::string::npos) << r.error().message;
  }
  EXPECT_TRUE(requests().empty()) << "nothing is sent without a credential";
}

INSTANTIATE_TEST_SUITE_P(
    Exec, ExecPluginErrors,
    ::testing::Values(
        Broken{"Garbage",
               "garbage",
               "",
               "",
               {"not an ExecCredential JSON object", "Unable to locate credentials"}},
        Broken{"NonZeroExit", "exit3", "", "", {"exited with status 3"}},
        Broken{"WrongApiVersion",
               "wrong-version",
               "",
               "",
               {"apiVersion \"client.authentication.k8s.io/v1beta1\" but the kubeconfig asks for "
                "\"client.authentication.k8s.io/v1\""}},
        Broken{"MissingCommand",
               "token",
               "jk-no-such-plugin",
               "Install the AWS CLI: https://docs.aws.amazon.com/cli/",
               {"command \"jk-no-such-plugin\" not found on PATH",
                "Install the AWS CLI: https://docs.aws.amazon.com/cli/"}},
        Broken{"MissingPath",
               "token",
               "/nonexistent/aws",
               "",
               {"command \"/nonexistent/aws\" not found"}}),
    [](const auto& param) { return param.param.name; });

TEST_F(ExecPluginTest, HungPluginIsKilledAfterTheTimeout) {
  start_api("tok-1");
  ExecAuthenticatorOptions options;
  options.timeout = 300ms;
  ExecAuthenticator auth(exec("sleep", kFuture), config(exec("sleep", kFuture)), options);
  auto r = auth.get();
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("no answer within 300 ms"), std::string::npos)
      << r.error().message;
}

TEST_F(ExecPluginTest, InteractiveModeDecidesStdinAndSpecInteractive) {
  start_api("tok-1");
  struct Case {
    ExecInteractiveMode mode;
    bool terminal;
    std::string expected;  // "error" or the spec.interactive value
  };
  const std::vector<Case> cases = {
      {ExecInteractiveMode::kNever, true, "false"},
      {ExecInteractiveMode::kIfAvailable, false, "false"},
      {ExecInteractiveMode::kIfAvailable, true, "true"},
      {ExecInteractiveMode::kAlways, true, "true"},
      {ExecInteractiveMode::kAlways, false, "error"},
  };
  int run = 0;
  for (const auto& c : cases) {
    ExecConfig e = exec("token", kFuture);
    e.interactive_mode = c.mode;
    ExecAuthenticatorOptions options;
    options.stdin_is_terminal = [&c] { return c.terminal; };
    ExecAuthenticator auth(e, config(e), options);
    auto r = auth.get();
    if (c.expected == "error") {
      ASSERT_FALSE(r.ok());
      EXPECT_NE(r.error().message.find("interactiveMode is Always but standard input is not a "
                                       "terminal"),
                std::string::npos)
          << r.error().message;
      continue;
    }
    ASSERT_TRUE(r.ok()) << r.error().message;
    ++run;
    EXPECT_EQ(info(run)["spec"]["interactive"].dump(), c.expected) << run;
  }
}

TEST_F(ExecPluginTest, UnauthorizedDropsOnlyTheCredentialThatWasRefused) {
  start_api("tok-1");
  ExecAuthenticator auth(exec("token", kFuture), config(exec("token", kFuture)));
  auto first = auth.get();
  ASSERT_TRUE(first.ok()) << first.error().message;
  auth.unauthorized(ExecCredential{"some-older-token", "", "", std::nullopt});
  EXPECT_EQ(auth.get()->token, "tok-1");  // still cached: the 401 was for another token
  auth.unauthorized(*first);
  EXPECT_EQ(auth.get()->token, "tok-2");
  EXPECT_EQ(auth.runs(), 2U);
}

}  // namespace
}  // namespace jk::kube
