#include "webhook/server/server.h"

#include <atomic>
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
#include "webhook/server/memory_trim.h"
#include "webhook/server/request_budget.h"
#include "webhook/server/routes.h"
#include "webhook/server/server_metrics.h"
#include "webhook/server/session.h"
#include "webhook/server/tls_context.h"

namespace jk::server {
namespace {

namespace asio = boost::asio;

// How often freed memory is handed back to the kernel, and from how many free bytes on.
constexpr std::chrono::seconds kTrimInterval{5};
constexpr std::size_t kTrimThreshold = 1024 * 1024;

SessionLimits limits_of(const ServerOptions& options) {
  return SessionLimits{options.max_body_bytes, options.max_header_bytes, options.handshake_timeout,
                       options.read_timeout,   options.write_timeout,    options.idle_timeout,
                       options.linger_timeout};
}

unsigned thread_count(std::uint32_t configured) {
  if (configured != 0) return configured;
  return std::max(1U, std::thread::hardware_concurrency());
}

}  // namespace

// Member order matters: everything a session references is declared before `ioc` (so it
// outlives the handlers the io_context destroys); I/O objects come after it.
struct Server::Impl {
  Impl(const ServerOptions& opts, Routes routes, metrics::Registry& reg)
      : options(opts),
        registry(reg),
        metrics(reg),
        budget(opts.max_request_memory_bytes, metrics.request_memory_in_flight),
        webhook_tracker(opts.max_connections, metrics.tracker("webhook")),
        metrics_tracker(opts.max_metrics_connections, metrics.tracker("metrics")),
        routes_ready(routes.ready),
        webhook_env{limits_of(opts), webhook_responder(routes, [this] { return server_ready(); }),
                    webhook_tracker, budget,
                    metrics,         true},
        metrics_env{limits_of(opts),
                    metrics_responder(
                        reg, [this] { return ready(); }, routes.audit),
                    metrics_tracker,
                    budget,
                    metrics,
                    false},
        ioc(static_cast<int>(thread_count(opts.worker_threads))),
        control(asio::make_strand(ioc)),
        reloader(TlsFiles{opts.tls_cert, opts.tls_key, opts.client_ca}, contexts, metrics),
        delay_timer(control),
        grace_timer(control),
        trim_timer(control) {}
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;
  ~Impl() {
    webhook_tracker.detach_callback();
    metrics_tracker.detach_callback();
  }

  Status open();
  void start();
  void begin_shutdown(bool delay);
  void stop_accepting();
  void trim_memory();
  void serve_threads();
  [[nodiscard]] bool server_ready() const { return !webhook_tracker.draining() && contexts.get(); }
  [[nodiscard]] bool ready() const { return server_ready() && (!routes_ready || routes_ready()); }

  const ServerOptions options;
  metrics::Registry& registry;
  ServerMetrics metrics;
  TlsContextStore contexts;
  RequestBudget budget;
  ConnectionTracker webhook_tracker;
  ConnectionTracker metrics_tracker;
  std::function<bool()> routes_ready;
  SessionEnv webhook_env;
  SessionEnv metrics_env;
  std::atomic<int> listeners_open{2};  // trackers that still have connections after closing
  asio::io_context ioc;
  asio::strand<asio::io_context::executor_type> control;  // listeners, signals, timers
  CertReloader reloader;
  std::optional<Listener> webhook;
  std::optional<Listener> metrics_listener;
  std::optional<asio::signal_set> signals;
  asio::steady_timer delay_timer;
  asio::steady_timer grace_timer;
  asio::steady_timer trim_timer;
  bool shutting_down = false;
};

Status Server::Impl::open() {
  if (options.tls_cert.empty()) return make_error("tls-cert: not set");
  if (options.tls_key.empty()) return make_error("tls-key: not set");
  JK_TRY_STATUS(reloader.load());
  JK_TRY(auto webhook_acceptor, open_acceptor(control, options.listen));
  JK_TRY(auto metrics_acceptor, open_acceptor(control, options.metrics_listen));
  webhook.emplace("webhook", std::move(webhook_acceptor), ioc.get_executor(), webhook_tracker,
                  [this](SessionSocket socket, ConnectionTracker::Ticket ticket) {
                    start_session(std::move(socket), contexts.get(), webhook_env,
                                  std::move(ticket));
                  });
  metrics_listener.emplace(
      "metrics", std::move(metrics_acceptor), ioc.get_executor(), metrics_tracker,
      [this](SessionSocket socket, ConnectionTracker::Ticket ticket) {
        start_session(std::move(socket), nullptr, metrics_env, std::move(ticket));
      });
  return {};
}

// On the control strand.
void Server::Impl::start() {
  if (shutting_down) return;
  tune_allocator();
  signals.emplace(control, SIGINT, SIGTERM);
  signals->async_wait([this](const boost::system::error_code& ec, int signal) {
    if (ec) return;
    log::info("signal received", {{"signal", signal}});
    // SIGTERM is Kubernetes stopping the pod: clients may still be routed here for a while.
    // SIGINT is a person at a terminal: no delay.
    begin_shutdown(signal == SIGTERM);
  });
  reloader.start(control, options.cert_reload_interval);
  webhook->start();
  metrics_listener->start();
  trim_memory();
}

void Server::Impl::trim_memory() {
  trim_timer.expires_after(kTrimInterval);
  trim_timer.async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;
    trim_free_memory(kTrimThreshold);
    trim_memory();
  });
}

// On the control strand. Phase 1 (shutdown_delay): report not ready, answer every request with
// Connection: close, keep accepting: clients routed here before the endpoint removal reached
// them still get answers, and idle keep-alive connections get their chance to send.
void Server::Impl::begin_shutdown(bool delay) {
  if (shutting_down) return;
  shutting_down = true;
  const auto wait = delay ? std::min(options.shutdown_delay, options.shutdown_grace)
                          : std::chrono::milliseconds(0);
  log::info("shutting down", {{"open_connections", webhook_tracker.count()},
                              {"delay_ms", wait.count()},
                              {"grace_ms", options.shutdown_grace.count()}});
  webhook_tracker.start_draining();
  metrics_tracker.start_draining();
  grace_timer.expires_after(options.shutdown_grace);
  grace_timer.async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;
    log::warn("shutdown grace period over, closing remaining connections",
              {{"open_connections", webhook_tracker.count() + metrics_tracker.count()}});
    ioc.stop();
  });
  delay_timer.expires_after(wait);
  delay_timer.async_wait([this](const boost::system::error_code& ec) {
    if (!ec) stop_accepting();
  });
}

// Phase 2: stop accepting, close idle connections; busy ones close after their answer. The
// server stops when both listeners have no connection left.
void Server::Impl::stop_accepting() {
  webhook->close();
  metrics_listener->close();
  if (signals) signals->cancel();
  reloader.stop();
  trim_timer.cancel();
  const auto on_empty = [this] {
    if (listeners_open.fetch_sub(1) == 1) ioc.stop();
  };
  webhook_tracker.close_idle(on_empty);
  metrics_tracker.close_idle(on_empty);
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

Result<std::unique_ptr<Server>> Server::create(const ServerOptions& options, Routes routes,
                                               metrics::Registry& registry) {
  // OpenSSL writes to client sockets with write(2) (server_stream.h): a client that closed
  // would raise SIGPIPE and kill the process. EPIPE is an error like any other.
  std::signal(SIGPIPE, SIG_IGN);
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
  asio::post(impl_->control, [impl = impl_.get()] { impl->begin_shutdown(true); });
}

std::uint16_t Server::port() const { return impl_->webhook->port(); }
std::uint16_t Server::metrics_port() const { return impl_->metrics_listener->port(); }

}  // namespace jk::server
