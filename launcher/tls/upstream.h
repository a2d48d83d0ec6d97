#pragma once
// Client-side TLS towards the real servers: verifies the chain against the system trust store
// (OpenSSL's default paths, which honour SSL_CERT_FILE / SSL_CERT_DIR in the launcher's own
// environment) and the host name or IP address; offers ALPN http/1.1.
#include "common/result.h"
#include "launcher/tls/openssl_handles.h"

#include <memory>
#include <string>
#include <string_view>

namespace jk::launcher::tls {

struct UpstreamTlsOptions {
  // A PEM file of extra trusted roots (tests; a corporate CA). Empty = none.
  std::string extra_ca_file;
  // Load the system trust store (default verify paths). Tests turn it off.
  bool use_system_roots = true;
};

class UpstreamTls {
 public:
  static Result<std::shared_ptr<UpstreamTls>> create(UpstreamTlsOptions options = {});

  // Owned by this object, which must outlive every SSL made from it.
  [[nodiscard]] SSL_CTX* context() const { return ctx_.get(); }

  // Before SSL_connect: SNI for names (not for IP literals), the name or IP the certificate must
  // match, ALPN http/1.1. `host` may be an IPv6 literal in brackets.
  static Status prepare(SSL* ssl, std::string_view host);

 private:
  explicit UpstreamTls(SslCtxPtr ctx) : ctx_(std::move(ctx)) {}
  SslCtxPtr ctx_;
};

// Why a client handshake with `host` failed, for a 502 body and the audit log, e.g.
// "certificate verify failed: self-signed certificate for host example.com", or
// "TLS handshake with example.com failed: <OpenSSL reason>". Drains the thread's error queue.
std::string describe_handshake_failure(const SSL* ssl, std::string_view host);

}  // namespace jk::launcher::tls
