#pragma once
// Runs a real Server on 127.0.0.1:0 in a background thread, with a fresh CA and certificate
// pair generated for the test, short timeouts, and helpers to read its metrics.
#include <chrono>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "common/metrics.h"
#include "tests/support/temp_certs.h"
#include "webhook/server/server.h"

namespace jk::testing {

// Short limits and timeouts so every test finishes fast.
server::ServerOptions test_options(const CertFiles& files);

class RunningServer {
 public:
  RunningServer(const server::ServerOptions& options, server::Routes routes);
  ~RunningServer();
  RunningServer(const RunningServer&) = delete;
  RunningServer& operator=(const RunningServer&) = delete;

  [[nodiscard]] std::uint16_t port() const { return server_->port(); }
  [[nodiscard]] std::uint16_t metrics_port() const { return server_->metrics_port(); }
  [[nodiscard]] metrics::Registry& registry() { return registry_; }
  server::Server& server() { return *server_; }
  // stop() and the value run() returned (-1 if it did not return within the bound).
  int stop_and_wait();
  // Whether run() has returned within `timeout`.
  bool wait_returned(std::chrono::milliseconds timeout);

 private:
  metrics::Registry registry_;
  std::unique_ptr<server::Server> server_;
  std::future<int> result_;
  std::thread thread_;
};

// The value of one sample ("name{labels}") in the registry's text, or nullopt.
std::optional<double> metric_value(const metrics::Registry& registry, const std::string& sample);
// Polls `predicate` until it holds or `limit` passes (no fixed sleeps in the tests).
bool eventually(const std::function<bool()>& predicate,
                std::chrono::milliseconds limit = std::chrono::milliseconds(5000));

}  // namespace jk::testing
