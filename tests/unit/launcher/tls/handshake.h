#pragma once
// Test helper: a TLS handshake between two SSL objects over an in-memory BIO pair, one thread.
#include "launcher/tls/openssl_handles.h"

#include <string>

namespace jk::launcher::tls::testing {

struct Handshake {
  SslPtr client;
  SslPtr server;
  bool client_ok = false;
  bool server_ok = false;
  std::string client_error;  // OpenSSL error text when the client side failed

  [[nodiscard]] bool ok() const { return client_ok && server_ok; }
  [[nodiscard]] std::string alpn() const;  // negotiated protocol, "" when none
  [[nodiscard]] X509Ptr server_certificate() const;
};

// Creates the SSL objects; `prepare_*` run before the handshake (may be empty).
struct HandshakeSetup {
  SSL_CTX* client_ctx = nullptr;
  SSL_CTX* server_ctx = nullptr;
};

Handshake make_pair(const HandshakeSetup& setup);
// Runs the handshake on both sides until both finish or one fails.
void run(Handshake& handshake);

}  // namespace jk::launcher::tls::testing
