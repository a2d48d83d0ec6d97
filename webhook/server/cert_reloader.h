#pragma once
// Polls the certificate and key files and swaps in a new ssl::context when their contents
// change. stat() follows symlinks and the contents are hashed, so the Kubernetes Secret volume's
// atomic `..data` symlink swap is caught. A bad pair (mismatched key, half-written file) is
// logged and counted; the old context stays and the next poll retries.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <memory>
#include <string>

#include "common/result.h"
#include "webhook/server/server_metrics.h"
#include "webhook/server/tls_context.h"

namespace jk::server {

class CertReloader {
 public:
  CertReloader(TlsFiles files, TlsContextStore& store, ServerMetrics& metrics);

  // Initial load: the server does not start without a usable pair.
  Status load();
  enum class PollResult { kUnchanged, kReloaded, kFailed };
  // One poll: rebuilds the context when the file contents changed.
  PollResult poll();

  // Polls every `interval` on `executor` (a strand) until stop().
  void start(const boost::asio::any_io_executor& executor, std::chrono::milliseconds interval);
  // Must run on the executor given to start().
  void stop();

 private:
  struct Contents {
    std::string cert_pem;
    std::string key_pem;
    std::string digest;
  };
  Result<Contents> read_contents() const;
  Status install(const Contents& contents);
  [[nodiscard]] std::string signature() const;
  void report_failure(const Error& error);
  void schedule();

  TlsFiles files_;
  TlsContextStore& store_;
  ServerMetrics& metrics_;
  std::string loaded_digest_;
  std::string last_stat_;
  std::string last_error_;
  std::unique_ptr<boost::asio::steady_timer> timer_;
  std::chrono::milliseconds interval_{0};
};

}  // namespace jk::server
