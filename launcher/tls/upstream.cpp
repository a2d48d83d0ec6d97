#include "launcher/tls/upstream.h"

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "common/log.h"
#include "launcher/tls/alpn.h"
#include "launcher/tls/leaf_name.h"

namespace jk::launcher::tls {

namespace {

bool env_set(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0';
}

// Where the system roots will come from ("" when none is found); nothing is parsed yet.
std::string system_roots_source(const UpstreamTlsOptions& options) {
  if (!options.use_system_roots) return {};
  if (env_set("SSL_CERT_FILE") || env_set("SSL_CERT_DIR")) return "SSL_CERT_FILE/SSL_CERT_DIR";
  return find_system_bundle(options.system_bundles).value_or(std::string());
}

Status load_roots(SSL_CTX* ctx, const std::string& source, const UpstreamTlsOptions& options) {
  if (options.use_system_roots && SSL_CTX_set_default_verify_paths(ctx) != 1) {
    return make_error(openssl_error("load default trust store"));
  }
  const bool bundle = !source.empty() && source != "SSL_CERT_FILE/SSL_CERT_DIR";
  if (bundle && SSL_CTX_load_verify_file(ctx, source.c_str()) != 1) {
    return make_error(openssl_error("load system trust bundle " + source));
  }
  if (!options.extra_ca_file.empty() &&
      SSL_CTX_load_verify_file(ctx, options.extra_ca_file.c_str()) != 1) {
    return make_error(openssl_error("load extra CA file " + options.extra_ca_file));
  }
  return {};
}

}  // namespace

Result<std::shared_ptr<UpstreamTls>> UpstreamTls::create(UpstreamTlsOptions options) {
  ERR_clear_error();  // a stale entry (e.g. from loading openssl.cnf) must not become our reason
  SslCtxPtr ctx(SSL_CTX_new(TLS_client_method()));
  if (!ctx || SSL_CTX_set_min_proto_version(ctx.get(), TLS1_2_VERSION) != 1) {
    return make_error(openssl_error("upstream TLS context"));
  }
  SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_PEER, nullptr);
  SSL_CTX_set_options(ctx.get(), SSL_OP_NO_RENEGOTIATION);
  // SSL_CTX_set_alpn_protos returns 0 on success.
  if (SSL_CTX_set_alpn_protos(ctx.get(), kAlpnHttp11.data(), kAlpnHttp11.size()) != 0) {
    return make_error(openssl_error("upstream ALPN"));
  }
  if (!options.extra_ca_file.empty() && ::access(options.extra_ca_file.c_str(), R_OK) != 0) {
    return make_error("load extra CA file " + options.extra_ca_file + ": " + std::strerror(errno));
  }
  std::string roots = system_roots_source(options);
  std::shared_ptr<UpstreamTls> upstream(
      new UpstreamTls(std::move(ctx), std::move(roots), std::move(options)));
  SSL_CTX_set_cert_verify_callback(upstream->ctx_.get(), &UpstreamTls::verify_chain,
                                   upstream.get());
  return upstream;
}

Status UpstreamTls::load_trust() const {
  std::call_once(trust_once_, [this] {
    trust_status_ = load_roots(ctx_.get(), system_roots_, options_);
    if (!trust_status_.ok()) {
      log::error("upstream TLS: no trust store, every HTTPS upstream fails",
                 {{"error", trust_status_.error().message}});
    }
  });
  return trust_status_;
}

// OpenSSL's chain verification, after the roots are in the context's store (the store is shared
// with store_ctx, which looks issuers up only now).
int UpstreamTls::verify_chain(X509_STORE_CTX* store_ctx, void* self) {
  const Status trust = static_cast<const UpstreamTls*>(self)->load_trust();
  if (!trust.ok()) {
    X509_STORE_CTX_set_error(store_ctx, X509_V_ERR_UNSPECIFIED);
    return 0;
  }
  return X509_verify_cert(store_ctx);
}

Status UpstreamTls::prepare(SSL* ssl, std::string_view host) {
  auto name = parse_leaf_name(host);
  if (!name.ok()) return name.error().wrap("upstream TLS");
  SSL_set_hostflags(ssl, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
  bool ok = false;
  if (name->is_ip) {
    ok = X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), name->text.c_str()) == 1;
  } else {
    // SSL_set_tlsext_host_name() is a macro with a C cast; this is its body.
    ok = SSL_ctrl(ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
                  name->text.data()) == 1 &&
         SSL_set1_host(ssl, name->text.c_str()) == 1;
  }
  ok = ok && SSL_set_alpn_protos(ssl, kAlpnHttp11.data(), kAlpnHttp11.size()) == 0;
  if (!ok) return make_error(openssl_error("upstream TLS for " + name->text));
  return {};
}

std::string describe_handshake_failure(const SSL* ssl, std::string_view host) {
  const unsigned long code = ERR_get_error();
  ERR_clear_error();
  return describe_handshake_failure(ssl, host, code);
}

std::string describe_handshake_failure(const SSL* ssl, std::string_view host,
                                       unsigned long openssl_error) {
  const long result = SSL_get_verify_result(ssl);
  if (result != X509_V_OK) {
    return std::string("certificate verify failed: ") + X509_verify_cert_error_string(result) +
           " for host " + std::string(host);
  }
  const std::string what = "TLS handshake with " + std::string(host) + " failed: ";
  if (openssl_error == 0) return what + "connection closed during the handshake";
  return what + openssl_reason(openssl_error);
}

}  // namespace jk::launcher::tls
