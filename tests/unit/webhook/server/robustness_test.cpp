// What keeps reviews from being lost (issue 14), each scaled to run in well under a second or
// two: a shutdown that keeps serving through its delay, connection budgets per listener with
// idle connections reclaimed at the limit, the request memory budget, lingering close,
// Expect: 100-continue and obs-fold refusal.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <future>
#include <string>
#include <vector>

#include "tests/support/temp_certs.h"
#include "tests/unit/webhook/server/server_fixture.h"
#include "tests/unit/webhook/server/test_client.h"

namespace jk::testing {
namespace {

server::HttpResponse echo(const server::HttpRequest& request) {
  return {200, "text/plain",
          std::string(request.target) + " " + std::to_string(request.body.size())};
}

std::string post_head(std::size_t content_length, const std::string& extra = "") {
  return "POST /mutate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " +
         std::to_string(content_length) + "\r\n" + extra + "\r\n";
}

class RobustnessTest : public ::testing::Test {
 protected:
  RobustnessTest() : files_(write_server_certs(dir_.path(), ca_, 2)) {}

  RunningServer& start(const server::ServerOptions& options,
                       server::Routes routes = {echo, nullptr}) {
    running_.emplace(options, std::move(routes));
    return *running_;
  }
  [[nodiscard]] TlsClient client() const { return TlsClient(trusting(ca_.cert_pem())); }
  // A connected client that has sent part of a request head: busy, never idle. Returns once
  // the server has seen the bytes (no connection of the listener is idle any more).
  std::unique_ptr<TlsClient> busy_client() {
    // Busy = the server has its first request half-read. Wait for it to be idle first (it
    // finished the handshake and waits for the request: the client's connect may return before
    // that), then for the partial head to make it busy; otherwise a connection made in between
    // would find this one idle and reclaim it.
    const auto idle = [&] {
      return metric_value(running_->registry(),
                          "jailkeeper_connections_idle{listener=\"webhook\"}");
    };
    auto c = std::make_unique<TlsClient>(trusting(ca_.cert_pem()));
    EXPECT_FALSE(c->connect(running_->port()));
    EXPECT_TRUE(eventually([&] { return idle() == 1.0; }));
    EXPECT_FALSE(c->write("POST /mutate HTTP/1.1\r\nHost: x\r\n"));
    EXPECT_TRUE(eventually([&] { return idle() == 0.0; }));
    return c;
  }
  Reply fresh_request(const std::string& target) {
    TlsClient c = client();
    if (auto ec = c.connect(running_->port())) return failed(ec);
    return c.request("GET", target);
  }

  TempDir dir_;
  TestCa ca_;
  CertFiles files_;
  std::optional<RunningServer> running_;
};

// --- shutdown --------------------------------------------------------------------------------

TEST_F(RobustnessTest, DuringTheShutdownDelayEveryRequestIsAnsweredWithConnectionClose) {
  server::ServerOptions options = test_options(files_);
  options.shutdown_delay = std::chrono::milliseconds(1500);
  options.idle_timeout = std::chrono::minutes(1);
  start(options);
  TlsClient idle = client();
  ASSERT_FALSE(idle.connect(running_->port()));
  ASSERT_TRUE(idle.request("POST", "/mutate", "before").keep_alive);

  running_->server().stop();
  // /readyz turns 503 where a probe can see it: the listeners still accept.
  EXPECT_TRUE(eventually([&] { return fresh_request("/readyz").status == 503; }));
  EXPECT_EQ(http_get(running_->metrics_port(), "/readyz").status, 503U);
  EXPECT_EQ(fresh_request("/healthz").status, 200U);
  // The idle keep-alive connection was not closed under the client: its next request is
  // answered, with Connection: close.
  const Reply late = idle.request("POST", "/mutate", "after");
  ASSERT_FALSE(late.ec) << late.ec.message();
  EXPECT_EQ(late.status, 200U);
  EXPECT_FALSE(late.keep_alive);
  EXPECT_TRUE(idle.closed_by_server());
  EXPECT_EQ(running_->stop_and_wait(), 0);
}

TEST_F(RobustnessTest, AfterTheDelayIdleConnectionsCloseAndRunReturns) {
  server::ServerOptions options = test_options(files_);
  options.shutdown_delay = std::chrono::milliseconds(200);
  options.idle_timeout = std::chrono::minutes(1);
  start(options);
  TlsClient idle = client();
  ASSERT_FALSE(idle.connect(running_->port()));
  ASSERT_EQ(idle.request("POST", "/mutate").status, 200U);
  running_->server().stop();
  EXPECT_TRUE(idle.closed_by_server()) << "closed once the delay is over";
  EXPECT_TRUE(running_->wait_returned(std::chrono::milliseconds(5000)));
}

// --- connection budgets ------------------------------------------------------------------------

TEST_F(RobustnessTest, AtTheLimitTheIdleKeepAliveConnectionMakesRoom) {
  server::ServerOptions options = test_options(files_);
  options.max_connections = 1;
  options.idle_timeout = std::chrono::minutes(1);
  start(options);
  TlsClient old = client();
  ASSERT_FALSE(old.connect(running_->port()));
  ASSERT_EQ(old.request("POST", "/mutate").status, 200U);
  // Idle once the server has finished the write (the client may read the answer first).
  ASSERT_TRUE(eventually([&] {
    return metric_value(running_->registry(),
                        "jailkeeper_connections_idle{listener=\"webhook\"}") == 1.0;
  }));
  TlsClient fresh = client();
  ASSERT_FALSE(fresh.connect(running_->port()));
  EXPECT_EQ(fresh.request("POST", "/mutate").status, 200U);
  EXPECT_TRUE(old.closed_by_server());
  EXPECT_EQ(metric_value(running_->registry(),
                         "jailkeeper_connections_reclaimed_total{listener=\"webhook\"}"),
            1.0);
}

TEST_F(RobustnessTest, AtTheLimitWithEveryConnectionBusyTheNewOneIsRefused) {
  server::ServerOptions options = test_options(files_);
  options.max_connections = 1;
  start(options);
  auto busy = busy_client();
  TlsClient refused = client();
  EXPECT_TRUE(refused.connect(running_->port()));
  EXPECT_TRUE(eventually([&] {
    return metric_value(running_->registry(),
                        "jailkeeper_connections_rejected_total{listener=\"webhook\"}") >= 1.0;
  }));
  const Reply reply = busy->raw("\r\n");  // the busy request completes: GET-less POST, no body
  EXPECT_EQ(reply.status, 200U);
}

TEST_F(RobustnessTest, ProbesAndMetricsAnswerWhileTheWebhookPortIsFull) {
  server::ServerOptions options = test_options(files_);
  options.max_connections = 3;
  start(options);
  std::vector<std::unique_ptr<TlsClient>> flood;
  for (int i = 0; i < 3; ++i) flood.push_back(busy_client());
  for (const char* path : {"/metrics", "/healthz", "/readyz"}) {
    EXPECT_EQ(http_get(running_->metrics_port(), path).status, 200U) << path;
  }
}

// --- request memory budget ---------------------------------------------------------------------

TEST_F(RobustnessTest, BodiesBeyondTheRequestMemoryBudgetGet503WithoutBeingRead) {
  server::ServerOptions options = test_options(files_);
  options.max_body_bytes = 1024 * 1024;
  options.max_request_memory_bytes = 4 * 1024 * 1024;
  start(options);
  std::vector<std::unique_ptr<TlsClient>> holders;
  for (int i = 0; i < 4; ++i) {  // 4 x 1 MiB: the whole budget
    holders.push_back(std::make_unique<TlsClient>(trusting(ca_.cert_pem())));
    ASSERT_FALSE(holders.back()->connect(running_->port()));
    ASSERT_FALSE(holders.back()->write(post_head(1024 * 1024) + "x"));
  }
  EXPECT_TRUE(eventually([&] {
    return metric_value(running_->registry(), "jailkeeper_request_memory_bytes") ==
           4.0 * 1024 * 1024;
  }));
  TlsClient over = client();
  ASSERT_FALSE(over.connect(running_->port()));
  const Reply refused = over.raw(post_head(1024 * 1024));
  EXPECT_EQ(refused.status, 503U);
  EXPECT_NE(refused.body.find("request memory budget"), std::string::npos) << refused.body;
  EXPECT_FALSE(refused.keep_alive);
  EXPECT_EQ(metric_value(running_->registry(), "jailkeeper_request_memory_refusals_total"), 1.0);
  // Small requests still get through: each one asks for its own few bytes only.
  holders.pop_back();  // one holder leaves: its lease goes back
  EXPECT_TRUE(eventually([&] {
    TlsClient c = client();
    return !c.connect(running_->port()) && c.request("POST", "/mutate", "{}").status == 200;
  }));
}

TEST_F(RobustnessTest, ABodyWhoseDecodingWouldExceedTheBudgetIs413) {
  server::ServerOptions options = test_options(files_);
  options.max_body_bytes = 1024 * 1024;
  options.max_request_memory_bytes = 8 * 1024 * 1024;
  start(options);
  std::string body = "[";
  while (body.size() < 512 * 1024) body += "{},";
  body += "{}]";  // ~32x its size as a DOM: ~17 MiB
  TlsClient c = client();
  ASSERT_FALSE(c.connect(running_->port()));
  const Reply reply = c.request("POST", "/mutate", body, "application/json");
  EXPECT_EQ(reply.status, 413U);
  EXPECT_NE(reply.body.find("bytes of memory to decode"), std::string::npos) << reply.body;
}

// --- lingering close ---------------------------------------------------------------------------

TEST_F(RobustnessTest, A413ReachesAClientThatSendsItsWholeBodyBeforeReading) {
  start(test_options(files_));  // max_body_bytes 1024
  for (int attempt = 0; attempt < 3; ++attempt) {
    TlsClient c = client();
    ASSERT_FALSE(c.connect(running_->port()));
    const std::string body(4 * 1024 * 1024, 'x');
    const auto ec = c.write(post_head(body.size()) + body);
    ASSERT_FALSE(ec) << "the server drained the body instead of resetting: " << ec.message();
    const Reply reply = c.read_reply();
    ASSERT_FALSE(reply.ec) << reply.ec.message();
    EXPECT_EQ(reply.status, 413U);
  }
}

TEST_F(RobustnessTest, A431ReachesAClientThatKeepsSendingAfterItsHeader) {
  start(test_options(files_));  // max_header_bytes 1024
  TlsClient c = client();
  ASSERT_FALSE(c.connect(running_->port()));
  const auto ec =
      c.write("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(64 * 1024, 'a') +
              "\r\n\r\n" + std::string(1 << 20, 'y'));
  ASSERT_FALSE(ec) << ec.message();
  const Reply reply = c.read_reply();
  ASSERT_FALSE(reply.ec) << reply.ec.message();
  EXPECT_EQ(reply.status, 431U);
}

// --- timeouts ----------------------------------------------------------------------------------
// The session's one timer is not re-armed per phase (session.cpp, arm()): each phase must still
// end at its own deadline, shorter or longer than the one before. The client waits up to 5 s.

TEST_F(RobustnessTest, AStalledBodyAfterAKeepAliveRequestEndsAtTheReadTimeoutNotTheIdleOne) {
  server::ServerOptions options = test_options(files_);
  options.idle_timeout = std::chrono::minutes(1);
  options.read_timeout = std::chrono::milliseconds(300);
  start(options);
  TlsClient c = client();
  ASSERT_FALSE(c.connect(running_->port()));
  ASSERT_EQ(c.request("POST", "/mutate").status, 200U);  // now idle: the 1-minute deadline
  ASSERT_FALSE(c.write(post_head(100) + "{\"partial"));  // the body never completes
  EXPECT_TRUE(c.closed_by_server());
}

TEST_F(RobustnessTest, AnIdleDeadlineLongerThanTheReadTimeoutIsStillKept) {
  server::ServerOptions options = test_options(files_);
  options.read_timeout = std::chrono::milliseconds(200);
  options.write_timeout = std::chrono::milliseconds(200);
  options.idle_timeout = std::chrono::milliseconds(1200);
  start(options);
  TlsClient c = client();
  ASSERT_FALSE(c.connect(running_->port()));
  ASSERT_EQ(c.request("POST", "/mutate").status, 200U);
  const auto idle_since = std::chrono::steady_clock::now();
  EXPECT_TRUE(c.closed_by_server());
  // Not at the 200 ms the timer wakes up after: the idle deadline, 1.2 s.
  EXPECT_GE(std::chrono::steady_clock::now() - idle_since, std::chrono::milliseconds(1000));
}

// A deadline shorter than the timer's wake-up step (the read and write timeouts) still ends the
// phase on time: the handshake deadline of a connection that never sends a byte.
TEST_F(RobustnessTest, AHandshakeDeadlineShorterThanTheReadTimeoutEndsTheSilentConnection) {
  server::ServerOptions options = test_options(files_);
  options.handshake_timeout = std::chrono::milliseconds(300);
  options.read_timeout = std::chrono::seconds(30);
  options.write_timeout = std::chrono::seconds(30);
  start(options);
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(running_->port());
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  pollfd p{fd, POLLIN, 0};
  const int ready = ::poll(&p, 1, 5000);  // the server's close makes the socket readable
  char byte = 0;
  const ssize_t got = ready == 1 ? ::recv(fd, &byte, 1, 0) : 1;
  ::close(fd);
  EXPECT_EQ(ready, 1) << "still open 5 s after a 300 ms handshake deadline";
  EXPECT_LE(got, 0) << "closed (end of stream or reset), nothing sent";
}

// --- HTTP details ------------------------------------------------------------------------------

TEST_F(RobustnessTest, Expect100ContinueIsAnsweredBeforeTheBodyIsSent) {
  start(test_options(files_));
  TlsClient c = client();
  ASSERT_FALSE(c.connect(running_->port()));
  ASSERT_FALSE(c.write(post_head(2, "Expect: 100-continue\r\n")));
  const std::string interim = c.read_until("\r\n\r\n");
  EXPECT_EQ(interim.rfind("HTTP/1.1 100 Continue\r\n\r\n", 0), 0U) << interim;
  const Reply reply = c.raw("{}");
  EXPECT_EQ(reply.status, 200U);
  EXPECT_EQ(reply.body, "/mutate 2");
}

TEST_F(RobustnessTest, Expect100ContinueWithATooLargeBodyGets413Instead) {
  start(test_options(files_));
  TlsClient c = client();
  ASSERT_FALSE(c.connect(running_->port()));
  const Reply reply = c.raw(post_head(1 << 20, "Expect: 100-continue\r\n"));
  EXPECT_EQ(reply.status, 413U);
}

TEST_F(RobustnessTest, ObsFoldedHeadersAreRefusedWith400) {
  start(test_options(files_));
  for (const char* fold : {"X-Folded: a\r\n b\r\n", "X-Folded: a\r\n\tb\r\n",
                           "Content-Type: application/json\r\n ; charset=utf-8\r\n"}) {
    TlsClient c = client();
    ASSERT_FALSE(c.connect(running_->port()));
    const Reply reply = c.raw(std::string("GET /healthz HTTP/1.1\r\nHost: x\r\n") + fold + "\r\n");
    EXPECT_EQ(reply.status, 400U) << fold;
    EXPECT_NE(reply.body.find("obsolete line folding"), std::string::npos) << reply.body;
  }
}

}  // namespace
}  // namespace jk::testing
