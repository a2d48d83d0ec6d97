#pragma once
// The webhook's HTTPS server: a TLS listener that routes requests to the handler, a plain-HTTP
// metrics listener, certificate hot reload and graceful shutdown. Beast/Asio stay behind the
// pimpl so that including this header is cheap.
#include <cstdint>
#include <functional>
#include <memory>

#include "common/metrics.h"
#include "common/result.h"
#include "webhook/server/http.h"
#include "webhook/server/server_options.h"

namespace jk::server {

struct Routes {
  // Called for every request on the TLS listener except GET /healthz and GET /readyz (the
  // server answers those itself). Called on worker threads concurrently; must be thread-safe.
  std::function<HttpResponse(const HttpRequest&)> handle;
  // Extra readiness condition (config + inventory loaded); /readyz = this && certs loaded &&
  // not draining. Empty: always ready.
  std::function<bool()> ready;
  // Plain-HTTP metrics listener: GET /audit (the continuous audit) goes here. Empty: 404.
  std::function<HttpResponse(const HttpRequest&)> audit{};
};

class Server {
 public:
  // Loads the certificate pair and binds both listeners (port 0: ephemeral).
  static Result<std::unique_ptr<Server>> create(const ServerOptions& options, Routes routes,
                                                metrics::Registry& registry);
  // Blocks: serves until SIGTERM/SIGINT or stop(); returns 0 on clean shutdown. SIGTERM: for
  // shutdown_delay every answer says Connection: close, /readyz is 503 and new connections are
  // still served; then the listeners close, idle connections close, and run() returns once
  // the last answer is written (at most shutdown_grace after SIGTERM). SIGINT skips the delay.
  int run();
  // Starts a graceful shutdown, like SIGTERM. Thread-safe; may be called before run().
  void stop();
  // The bound TLS port and metrics port.
  [[nodiscard]] std::uint16_t port() const;
  [[nodiscard]] std::uint16_t metrics_port() const;

  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;
  ~Server();

 private:
  struct Impl;
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace jk::server
