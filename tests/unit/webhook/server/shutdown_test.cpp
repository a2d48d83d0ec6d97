// Graceful shutdown: stop accepting, finish the request in flight (answered with
// Connection: close), close idle keep-alive connections, and return 0 from run().
#include <gtest/gtest.h>

#include <future>
#include <mutex>
#include <vector>

#include "common/log.h"
#include "tests/support/temp_certs.h"
#include "tests/unit/webhook/server/server_fixture.h"
#include "tests/unit/webhook/server/test_client.h"

namespace jk::testing {
namespace {

// Captures log lines for the duration of a test.
class LogCapture {
 public:
  LogCapture() {
    log::set_sink([this](std::string_view line) {
      std::lock_guard lock(mu_);
      lines_.emplace_back(line);
    });
  }
  ~LogCapture() { log::set_sink(nullptr); }
  LogCapture(const LogCapture&) = delete;
  LogCapture& operator=(const LogCapture&) = delete;
  [[nodiscard]] bool contains(const std::string& fragment) const {
    std::lock_guard lock(mu_);
    for (const auto& line : lines_) {
      if (line.find(fragment) != std::string::npos) return true;
    }
    return false;
  }

 private:
  mutable std::mutex mu_;
  std::vector<std::string> lines_;
};

class ShutdownTest : public ::testing::Test {
 protected:
  ShutdownTest() : files_(write_server_certs(dir_.path(), ca_, 2)) {}
  TempDir dir_;
  TestCa ca_;
  CertFiles files_;
};

TEST_F(ShutdownTest, StopCompletesTheRequestInFlightAndRunReturnsZero) {
  std::promise<void> entered;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  server::Routes routes{[&](const server::HttpRequest& request) -> server::HttpResponse {
                          if (request.target == "/slow") {
                            entered.set_value();
                            released.wait();
                          }
                          return {200, "text/plain", "done"};
                        },
                        nullptr};
  server::ServerOptions options = test_options(files_);
  options.idle_timeout = std::chrono::minutes(1);  // only the drain can close the idle one
  RunningServer running(options, routes);

  TlsClient idle(trusting(ca_.cert_pem()));
  ASSERT_FALSE(idle.connect(running.port()));
  ASSERT_EQ(idle.request("POST", "/fast").status, 200U);

  TlsClient busy(trusting(ca_.cert_pem()));
  ASSERT_FALSE(busy.connect(running.port()));
  auto in_flight = std::async(std::launch::async, [&] { return busy.request("POST", "/slow"); });
  entered.get_future().wait();

  running.server().stop();
  EXPECT_TRUE(idle.closed_by_server()) << "idle keep-alive connection is closed by the drain";
  EXPECT_FALSE(running.wait_returned(std::chrono::milliseconds(0)));
  release.set_value();

  const Reply reply = in_flight.get();
  ASSERT_FALSE(reply.ec) << reply.ec.message();
  EXPECT_EQ(reply.status, 200U);
  EXPECT_EQ(reply.body, "done");
  EXPECT_FALSE(reply.keep_alive) << "no new keep-alive requests while draining";
  EXPECT_EQ(running.stop_and_wait(), 0);
}

TEST_F(ShutdownTest, NewConnectionsAreRefusedOnceStopped) {
  RunningServer running(test_options(files_), {nullptr, nullptr});
  const std::uint16_t port = running.port();
  EXPECT_EQ(running.stop_and_wait(), 0);
  TlsClient late(trusting(ca_.cert_pem()));
  EXPECT_TRUE(late.connect(port));
}

TEST_F(ShutdownTest, LogsListeningAddressesAndShutdown) {
  LogCapture logs;
  {
    RunningServer running(test_options(files_), {nullptr, nullptr});
    const std::string webhook =
        R"("listener":"webhook","addr":"127.0.0.1:)" + std::to_string(running.port()) + "\"";
    const std::string metrics = R"("listener":"metrics","addr":"127.0.0.1:)" +
                                std::to_string(running.metrics_port()) + "\"";
    EXPECT_TRUE(eventually([&] { return logs.contains(webhook) && logs.contains(metrics); }));
    EXPECT_EQ(running.stop_and_wait(), 0);
  }
  EXPECT_TRUE(logs.contains(R"("msg":"shutting down")"));
  EXPECT_TRUE(logs.contains(R"("msg":"stopped")"));
}

}  // namespace
}  // namespace jk::testing
