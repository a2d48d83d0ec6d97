#pragma once
// One client connection from accept to close (internal): the first bytes decide between TLS
// interception, CONNECT and plain HTTP; a CONNECT tunnel decides again.
#include <memory>
#include <optional>

#include "launcher/proxy/asio_types.h"
#include "launcher/proxy/proxy_context.h"

namespace jk::launcher::proxy {

awaitable<void> run_connection(tcp::socket socket, std::optional<sys::Endpoint> original,
                               std::shared_ptr<const ProxyContext> context, ConnectionSlot slot);

}  // namespace jk::launcher::proxy
