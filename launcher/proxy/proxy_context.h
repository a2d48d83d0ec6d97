#pragma once
// What every connection of one Proxy shares (internal; Asio types allowed). Immutable after
// start except the connection counter.
#include <atomic>
#include <cstddef>
#include <memory>
#include <utility>
#include <vector>

#include "launcher/proxy/proxy.h"
#include "launcher/proxy/upstream_address.h"
#include "launcher/tls/openssl_handles.h"

namespace jk::launcher::proxy {

struct ProxyContext {
  ProxyOptions options;
  tls::SslCtxPtr server_tls;                 // null: no interception
  tls::SslCtxPtr upstream_tls;               // null: no https upstreams
  std::vector<sys::Endpoint> own_addresses;  // listeners, for loop refusal
  UpstreamAddressPolicy address_policy;      // internal upstreams refused unless opted in
  std::atomic<std::size_t> connections{0};
};

// Holds one slot of max_connections for as long as it lives.
class ConnectionSlot {
 public:
  explicit ConnectionSlot(ProxyContext& context) : context_(&context) {}
  ConnectionSlot(ConnectionSlot&& other) noexcept
      : context_(std::exchange(other.context_, nullptr)) {}
  ConnectionSlot(const ConnectionSlot&) = delete;
  ConnectionSlot& operator=(const ConnectionSlot&) = delete;
  ConnectionSlot& operator=(ConnectionSlot&&) = delete;
  ~ConnectionSlot() {
    if (context_ != nullptr) context_->connections.fetch_sub(1);
  }

 private:
  ProxyContext* context_;
};

}  // namespace jk::launcher::proxy
