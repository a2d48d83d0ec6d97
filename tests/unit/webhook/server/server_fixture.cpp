#include "tests/unit/webhook/server/server_fixture.h"

#include <sstream>
#include <stdexcept>

namespace jk::testing {

server::ServerOptions test_options(const CertFiles& files) {
  server::ServerOptions options;
  options.listen = "127.0.0.1:0";
  options.metrics_listen = "127.0.0.1:0";
  options.tls_cert = files.cert;
  options.tls_key = files.key;
  options.max_body_bytes = 1024;
  options.max_header_bytes = 1024;
  options.handshake_timeout = std::chrono::milliseconds(2000);
  options.read_timeout = std::chrono::milliseconds(2000);
  options.write_timeout = std::chrono::milliseconds(2000);
  options.idle_timeout = std::chrono::milliseconds(2000);
  options.shutdown_delay = std::chrono::milliseconds(0);  // tests that need one set it
  options.shutdown_grace = std::chrono::milliseconds(3000);
  options.linger_timeout = std::chrono::milliseconds(2000);
  options.max_request_memory_bytes = 64 * 1024 * 1024;
  options.cert_reload_interval = std::chrono::milliseconds(20);
  options.worker_threads = 4;
  return options;
}

RunningServer::RunningServer(const server::ServerOptions& options, server::Routes routes) {
  auto created = server::Server::create(options, std::move(routes), registry_);
  if (!created) throw std::runtime_error("Server::create: " + created.error().message);
  server_ = std::move(*created);
  std::packaged_task<int()> task([this] { return server_->run(); });
  result_ = task.get_future();
  thread_ = std::thread(std::move(task));
}

RunningServer::~RunningServer() {
  server_->stop();
  thread_.join();
}

bool RunningServer::wait_returned(std::chrono::milliseconds timeout) {
  return result_.wait_for(timeout) == std::future_status::ready;
}

int RunningServer::stop_and_wait() {
  server_->stop();
  if (!wait_returned(std::chrono::milliseconds(10000))) return -1;
  return result_.get();
}

std::optional<double> metric_value(const metrics::Registry& registry, const std::string& sample) {
  std::istringstream lines(registry.render());
  std::string line;
  while (std::getline(lines, line)) {
    if (line.size() > sample.size() && line.compare(0, sample.size(), sample) == 0 &&
        line[sample.size()] == ' ') {
      return std::stod(line.substr(sample.size() + 1));
    }
  }
  return std::nullopt;
}

bool eventually(const std::function<bool()>& predicate, std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (predicate()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return predicate();
}

}  // namespace jk::testing
