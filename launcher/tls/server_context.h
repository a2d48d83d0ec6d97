#pragma once
// The SSL_CTX behind Authority::server_context(): TLS 1.2+, leaf chosen by SNI, ALPN http/1.1.
#include "common/result.h"
#include "launcher/tls/openssl_handles.h"

namespace jk::launcher::tls {

class Authority;

// `authority` must outlive the context (its callbacks call back into it).
Result<SslCtxPtr> make_server_context(Authority& authority);

}  // namespace jk::launcher::tls
