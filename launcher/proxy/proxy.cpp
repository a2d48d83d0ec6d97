#include "launcher/proxy/proxy.h"

#include <openssl/ssl.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <exception>
#include <thread>

#include "common/log.h"
#include "launcher/proxy/asio_types.h"
#include "launcher/proxy/proxy_context.h"
#include "launcher/proxy/request_audit.h"
#include "launcher/proxy/session.h"
#include "launcher/proxy/socket_addresses.h"
#include "launcher/sys/socket.h"
#include "launcher/tls/authority.h"
#include "launcher/tls/upstream.h"

namespace jk::launcher::proxy {
namespace {

constexpr std::chrono::milliseconds kAcceptRetryDelay{50};

// A reference of the proxy's own to a context the Authority or UpstreamTls owns.
tls::SslCtxPtr share_context(SSL_CTX* native) {
  if (native != nullptr) SSL_CTX_up_ref(native);
  return tls::SslCtxPtr(native);
}

void log_exception(std::exception_ptr error) {
  if (!error) return;
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    log::error("proxy connection failed", {{"error", e.what()}});
  }
}

void reject_over_cap(tcp::socket& socket, const ProxyContext& context) {
  {
    RequestAudit audit(context, "");
    audit.finish(
        requestlog::Decision::kError, 0,
        "connection limit of " + std::to_string(context.options.max_connections) + " reached");
  }
  error_code ignored;
  socket.close(ignored);
}

// Takes a slot or returns none when max_connections are already open.
std::optional<ConnectionSlot> admit(ProxyContext& context) {
  if (context.connections.fetch_add(1) >= context.options.max_connections) {
    context.connections.fetch_sub(1);
    return std::nullopt;
  }
  return std::optional<ConnectionSlot>(std::in_place, context);
}

void spawn_connection(tcp::socket socket, std::optional<sys::Endpoint> original,
                      const std::shared_ptr<ProxyContext>& context) {
  auto slot = admit(*context);
  if (!slot) return reject_over_cap(socket, *context);
  auto executor = socket.get_executor();
  asio::co_spawn(executor,
                 run_connection(std::move(socket), std::move(original), context, std::move(*slot)),
                 log_exception);
}

awaitable<void> accept_loop(tcp::acceptor acceptor, asio::io_context::executor_type io,
                            std::shared_ptr<ProxyContext> context) {
  for (;;) {
    auto [ec, socket] = co_await acceptor.async_accept(asio::make_strand(io), kUseTuple);
    if (ec == asio::error::operation_aborted) co_return;
    if (ec) {  // e.g. EMFILE: back off instead of spinning
      log::warn("proxy accept failed", {{"error", ec.message()}});
      asio::steady_timer timer(acceptor.get_executor(), kAcceptRetryDelay);
      co_await timer.async_wait(kUseTuple);
      continue;
    }
    std::optional<sys::Endpoint> original = original_destination(socket.native_handle());
    spawn_connection(std::move(socket), std::move(original), context);
  }
}

tcp protocol_of(int family) { return family == AF_INET6 ? tcp::v6() : tcp::v4(); }

}  // namespace

struct Proxy::Impl {
  std::shared_ptr<ProxyContext> context = std::make_shared<ProxyContext>();
  asio::io_context io;
  asio::executor_work_guard<asio::io_context::executor_type> work{io.get_executor()};
  std::vector<std::thread> threads;
  bool stopped = false;
};

Proxy::Proxy(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Proxy::~Proxy() { stop(); }

Result<std::unique_ptr<Proxy>> Proxy::create(ProxyOptions options) {
  if (options.threads < 1) return make_error("proxy: threads must be at least 1");
  if (options.max_connections == 0) return make_error("proxy: max_connections must be positive");
  auto impl = std::make_unique<Impl>();
  auto& context = *impl->context;
  if (options.authority) context.server_tls = share_context(options.authority->server_context());
  if (options.upstream) context.upstream_tls = share_context(options.upstream->context());
  context.address_policy.allow_internal = options.allow_internal;
  context.address_policy.own_addresses = interface_addresses();
  context.options = std::move(options);
  return std::unique_ptr<Proxy>(new Proxy(std::move(impl)));
}

Status Proxy::add_listener(sys::UniqueFd listening_fd) {
  JK_TRY(const sys::Endpoint local, sys::local_endpoint(listening_fd.get()));
  if (!impl_->threads.empty()) return make_error("proxy: add_listener after start");
  impl_->context->own_addresses.push_back(local);
  auto strand = asio::make_strand(impl_->io);
  tcp::acceptor acceptor(strand);
  error_code ec;
  acceptor.assign(protocol_of(local.family()), listening_fd.get(), ec);
  if (ec) return make_error("proxy: listener " + local.to_string() + ": " + ec.message());
  listening_fd.release();
  asio::co_spawn(strand, accept_loop(std::move(acceptor), impl_->io.get_executor(), impl_->context),
                 log_exception);
  return {};
}

void Proxy::serve(sys::UniqueFd connected_fd, std::optional<sys::Endpoint> original_destination) {
  const auto local = sys::local_endpoint(connected_fd.get());
  tcp::socket socket(asio::make_strand(impl_->io));
  error_code ec;
  socket.assign(protocol_of(local.ok() ? local->family() : AF_INET), connected_fd.get(), ec);
  if (ec) {
    log::warn("proxy: cannot serve descriptor", {{"error", ec.message()}});
    return;  // connected_fd still owns and closes it
  }
  connected_fd.release();
  spawn_connection(std::move(socket), std::move(original_destination), impl_->context);
}

Status Proxy::start() {
  if (!impl_->threads.empty() || impl_->stopped) return make_error("proxy: already started");
  for (int i = 0; i < impl_->context->options.threads; ++i) {
    impl_->threads.emplace_back([this] { impl_->io.run(); });
  }
  return {};
}

void Proxy::stop() {
  if (impl_->stopped) return;
  impl_->stopped = true;
  impl_->work.reset();
  impl_->io.stop();
  for (std::thread& thread : impl_->threads) thread.join();
  impl_->threads.clear();
}

}  // namespace jk::launcher::proxy
