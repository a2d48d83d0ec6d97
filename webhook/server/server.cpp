#include "webhook/server/server.h"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <csignal>
#include <optional>
#include <thread>
#include <vector>

#include "common/log.h"
#include "webhook/server/cert_reloader.h"
#include "webhook/server/connection_tracker.h"
#include "webhook/server/listener.h"
#include "webhook/server/routes.h"
#include "webhook/server/server_metrics.h"
#include "webhook/server/session.h"
#include "webhook/server/tls_context.h"

namespace jk::server {
namespace {

namespace asio = boost::asio;

SessionLimits limits_of(const config::ServerOptions& options) {
  return SessionLimits{options.max_body_bytes, options.max_header_bytes, options.handshake_timeout,
                       options.read_timeout,   options.write_timeout,    options.idle_timeout};
}

unsigned thread_count(std::uint32_t configured) {
  if (configured != 0) return configured;
  return std::max(1U, std::thread::hardware_concurrency());
}

}  // namespace

// Member order matters: everything a session references is declared before `ioc` (so it
// outlives the handlers the io_context destroys); I/O objects come after it.
struct Server::Impl {
  Impl(const config::ServerOptions& opts, Routes routes, metrics::Registry& reg)
      : options(opts),
        registry(reg),
        metrics(reg),
        tracker(opts.max_connections, metrics.connections_active),
        webhook_env{limits_of(opts), webhook_responder(routes, [this] { return server_ready(); }),
                    tracker, metrics, true},
        metrics_env{limits_of(opts), metrics_responder(reg, routes.audit), tracker, metrics, false},
        ioc(static_cast<int>(thread_count(opts.worker_threads))),
        control(asio::make_strand(ioc)),
        reloader(TlsFiles{opts.tls_cert, opts.tls_key, opts.client_ca}, contexts, metrics),
        grace_timer(control) {}
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;
  ~Impl() { tracker.detach_callback(); }

  Status open();
  void start();
  void begin_shutdown();
  void serve_threads();
  [[nodiscard]] bool server_ready() const { return !tracker.draining() && contexts.get(); }

  const config::ServerOptions options;
  metrics::Registry& registry;
  ServerMetrics metrics;
  TlsContextStore contexts;
  ConnectionTracker tracker;
  SessionEnv webhook_env;
  SessionEnv metrics_env;
  asio::io_context ioc;
  asio::strand<asio::io_context::executor_type> control;  // listeners, signals, timers
  CertReloader reloader;
  std::optional<Listener> webhook;
  std::optional<Listener> metrics_listener;
  std::optional<asio::signal_set> signals;
  asio::steady_timer grace_timer;
  bool shutting_down = false;
};

Status Server::Impl::open() {
  if (options.tls_cert.empty()) return make_error("tls-cert: not set");
  if (options.tls_key.empty()) return make_error("tls-key: not set");
  JK_TRY_STATUS(reloader.load());
  JK_TRY(auto webhook_acceptor, open_acceptor(control, options.listen));
  JK_TRY(auto metrics_acceptor, open_acceptor(control, options.metrics_listen));
  webhook.emplace("webhook", std::move(webhook_acceptor), ioc.get_executor(), tracker, metrics,
                  [this](asio::ip::tcp::socket socket, ConnectionTracker::Ticket ticket) {
                    start_tls_session(std::move(socket), contexts.get(), webhook_env,
                                      std::move(ticket));
                  });
  metrics_listener.emplace("metrics", std::move(metrics_acceptor), ioc.get_executor(), tracker,
                           metrics,
                           [this](asio::ip::tcp::socket socket, ConnectionTracker::Ticket ticket) {
                             start_plain_session(std::move(socket), metrics_env, std::move(ticket));
                           });
  return {};
}

// On the control strand.
void Server::Impl::start() {
  if (shutting_down) return;
  signals.emplace(control, SIGINT, SIGTERM);
  signals->async_wait([this](const boost::system::error_code& ec, int signal) {
    if (ec) return;
    log::info("signal received", {{"signal", signal}});
    begin_shutdown();
  });
  reloader.start(control, options.cert_reload_interval);
  webhook->start();
  metrics_listener->start();
}

// On the control strand: stop accepting, report not ready, let requests in flight finish.
void Server::Impl::begin_shutdown() {
  if (shutting_down) return;
  shutting_down = true;
  log::info("shutting down",
            {{"open_connections", tracker.count()}, {"grace_ms", options.shutdown_grace.count()}});
  webhook->close();
  metrics_listener->close();
  if (signals) signals->cancel();
  reloader.stop();
  grace_timer.expires_after(options.shutdown_grace);
  grace_timer.async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;
    log::warn("shutdown grace period over, closing remaining connections",
              {{"open_connections", tracker.count()}});
    ioc.stop();
  });
  tracker.drain_all([this] { ioc.stop(); });
}

void Server::Impl::serve_threads() {
  auto serve = [this] {
    try {
      ioc.run();
    } catch (const std::exception& e) {
      log::error("server thread failed", {{"error", e.what()}});
      ioc.stop();
    }
  };
  std::vector<std::thread> threads;
  for (unsigned i = 1; i < thread_count(options.worker_threads); ++i) threads.emplace_back(serve);
  serve();
  for (auto& t : threads) t.join();
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Server::~Server() = default;

Result<std::unique_ptr<Server>> Server::create(const config::ServerOptions& options, Routes routes,
                                               metrics::Registry& registry) {
  auto impl = std::make_unique<Impl>(options, std::move(routes), registry);
  JK_TRY_STATUS(impl->open());
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

int Server::run() {
  asio::dispatch(impl_->control, [impl = impl_.get()] { impl->start(); });
  impl_->serve_threads();
  log::info("stopped");
  return 0;
}

void Server::stop() {
  asio::post(impl_->control, [impl = impl_.get()] { impl->begin_shutdown(); });
}

std::uint16_t Server::port() const { return impl_->webhook->port(); }
std::uint16_t Server::metrics_port() const { return impl_->metrics_listener->port(); }

}  // namespace jk::server
