#pragma once
// Client-side TLS towards the real servers: verifies the chain against the system trust store
// and the host name or IP address; offers ALPN http/1.1. The trust store is OpenSSL's default
// paths, which honour SSL_CERT_FILE / SSL_CERT_DIR in the launcher's own environment; when neither
// is set, the first existing system bundle is added too (the static launcher's compiled-in
// OPENSSLDIR may not exist in the agent's image). The roots are parsed at the first
// verification, not at create(): parsing a system bundle costs ~30 ms, which every run of a
// short command would otherwise pay even when it makes no HTTPS request.
#include "common/result.h"
#include "launcher/tls/openssl_handles.h"
#include "launcher/tls/system_bundle.h"

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace jk::launcher::tls {

struct UpstreamTlsOptions {
  // A PEM file of extra trusted roots (tests; a corporate CA). Empty = none.
  std::string extra_ca_file;
  // Load the system trust store. Tests turn it off.
  bool use_system_roots = true;
  // Consulted when SSL_CERT_FILE and SSL_CERT_DIR are both unset.
  std::vector<std::string> system_bundles = default_system_bundles();
};

class UpstreamTls {
 public:
  static Result<std::shared_ptr<UpstreamTls>> create(UpstreamTlsOptions options = {});

  // Owned by this object, which must outlive every SSL made from it.
  [[nodiscard]] SSL_CTX* context() const { return ctx_.get(); }

  // Before SSL_connect: SNI for names (not for IP literals), the name or IP the certificate must
  // match, ALPN http/1.1. `host` may be an IPv6 literal in brackets.
  static Status prepare(SSL* ssl, std::string_view host);

  // Where system roots came from: "SSL_CERT_FILE/SSL_CERT_DIR", a bundle path, or "" (none
  // found, or use_system_roots off) — for `doctor` and a start-up log line.
  [[nodiscard]] const std::string& system_roots() const { return system_roots_; }

  // Loads the trust store now (normally done by the first verification). Thread-safe; the
  // result of the first load is kept.
  Status load_trust() const;

 private:
  UpstreamTls(SslCtxPtr ctx, std::string system_roots, UpstreamTlsOptions options)
      : ctx_(std::move(ctx)),
        system_roots_(std::move(system_roots)),
        options_(std::move(options)) {}
  static int verify_chain(X509_STORE_CTX* store_ctx, void* self);

  SslCtxPtr ctx_;
  std::string system_roots_;
  UpstreamTlsOptions options_;
  mutable std::once_flag trust_once_;
  mutable Status trust_status_;
};

// Why a client handshake with `host` failed, for a 502 body and the audit log, e.g.
// "certificate verify failed: self-signed certificate for host example.com", or
// "TLS handshake with example.com failed: <OpenSSL reason>" (e.g. "wrong version number", or
// "connection closed during the handshake"). Drains the thread's error queue.
std::string describe_handshake_failure(const SSL* ssl, std::string_view host);
// The same with the OpenSSL error code the failed handshake reported (0: none, the peer closed),
// for callers that may run on another thread than the handshake (each thread has its own queue).
std::string describe_handshake_failure(const SSL* ssl, std::string_view host,
                                       unsigned long openssl_error);

}  // namespace jk::launcher::tls
