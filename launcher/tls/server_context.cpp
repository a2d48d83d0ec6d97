#include "launcher/tls/server_context.h"

#include "common/log.h"
#include "launcher/tls/alpn.h"
#include "launcher/tls/authority.h"

namespace jk::launcher::tls {

namespace {

int refuse(int* alert) {
  *alert = SSL_AD_UNRECOGNIZED_NAME;
  return SSL_TLSEXT_ERR_ALERT_FATAL;
}

// Runs for every ClientHello, with or without SNI, before the certificate is chosen.
int on_servername(SSL* ssl, int* alert, void* arg) {
  const char* sni = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
  if (sni == nullptr) {
    // No SNI: keep the leaf the proxy installed for the original destination, if any.
    if (SSL_get_certificate(ssl) != nullptr) return SSL_TLSEXT_ERR_OK;
    log::warn("tls: client sent no SNI and no destination is known");
    return refuse(alert);
  }
  const Status installed = static_cast<Authority*>(arg)->use_leaf_for(ssl, sni);
  if (!installed.ok()) {
    log::warn("tls: refused server name", {{"error", installed.error().message}});
    return refuse(alert);
  }
  return SSL_TLSEXT_ERR_OK;
}

// Picks http/1.1 when the client offers it; otherwise no ALPN (never h2: the proxy judges
// HTTP/1.1 requests only).
int on_alpn(SSL* /*ssl*/, const unsigned char** out, unsigned char* out_len,
            const unsigned char* offered, unsigned int offered_len, void* /*arg*/) {
  unsigned char* selected = nullptr;
  const int result = SSL_select_next_proto(&selected, out_len, kAlpnHttp11.data(),
                                           kAlpnHttp11.size(), offered, offered_len);
  if (result != OPENSSL_NPN_NEGOTIATED) return SSL_TLSEXT_ERR_NOACK;
  *out = selected;
  return SSL_TLSEXT_ERR_OK;
}

}  // namespace

Result<SslCtxPtr> make_server_context(Authority& authority) {
  SslCtxPtr ctx(SSL_CTX_new(TLS_server_method()));
  if (!ctx || SSL_CTX_set_min_proto_version(ctx.get(), TLS1_2_VERSION) != 1) {
    return make_error(openssl_error("server TLS context"));
  }
  SSL_CTX_set_options(ctx.get(), SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  // The SSL_CTX_set_tlsext_servername_* macros expand to C casts; these are their bodies.
  SSL_CTX_callback_ctrl(ctx.get(), SSL_CTRL_SET_TLSEXT_SERVERNAME_CB,
                        reinterpret_cast<void (*)()>(on_servername));
  SSL_CTX_ctrl(ctx.get(), SSL_CTRL_SET_TLSEXT_SERVERNAME_ARG, 0, &authority);
  SSL_CTX_set_alpn_select_cb(ctx.get(), on_alpn, nullptr);
  return ctx;
}

}  // namespace jk::launcher::tls
