#include "webhook/kube/tls_client_context.h"

#include <openssl/x509v3.h>

#include <boost/asio/ip/address.hpp>

namespace jk::kube {
namespace {

namespace ssl = boost::asio::ssl;
using boost::system::error_code;

const std::string& peer_name(const ClientConfig& config) {
  return config.tls_server_name.empty() ? config.host : config.tls_server_name;
}

bool is_ip_literal(const std::string& name) {
  error_code ec;
  boost::asio::ip::make_address(name, ec);
  return !ec;
}

Status add_trust(ssl::context& ctx, const ClientConfig& config) {
  error_code ec;
  if (config.insecure_skip_tls_verify) {
    ctx.set_verify_mode(ssl::verify_none);
    return {};
  }
  ctx.set_verify_mode(ssl::verify_peer);
  if (config.ca_pem.empty()) {
    ctx.set_default_verify_paths(ec);
    if (ec) return make_error("system CA roots: " + ec.message());
    return {};
  }
  ctx.add_certificate_authority(boost::asio::buffer(config.ca_pem), ec);
  if (ec) return make_error("certificate-authority: " + ec.message());
  return {};
}

Status add_client_identity(ssl::context& ctx, const ClientConfig& config) {
  if (config.client_cert_pem.empty() && config.client_key_pem.empty()) return {};
  error_code ec;
  ctx.use_certificate_chain(boost::asio::buffer(config.client_cert_pem), ec);
  if (ec) return make_error("client-certificate: " + ec.message());
  ctx.use_private_key(boost::asio::buffer(config.client_key_pem), ssl::context::pem, ec);
  if (ec) return make_error("client-key: " + ec.message());
  return {};
}

}  // namespace

Result<std::shared_ptr<ssl::context>> make_client_tls_context(const ClientConfig& config) {
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_client);
  if (SSL_CTX_set_min_proto_version(ctx->native_handle(), TLS1_2_VERSION) != 1) {
    return make_error("TLS: cannot require TLS 1.2");
  }
  JK_TRY_STATUS(add_trust(*ctx, config));
  JK_TRY_STATUS(add_client_identity(*ctx, config));
  return ctx;
}

Status configure_peer_checks(SSL* ssl, const ClientConfig& config) {
  const std::string& name = peer_name(config);
  if (is_ip_literal(name)) {
    if (X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), name.c_str()) != 1) {
      return make_error("TLS: bad IP address " + name);
    }
    return {};
  }
  // SSL_set_tlsext_host_name is a macro with an old-style cast; call what it expands to.
  char* sni = const_cast<char*>(name.c_str());  // NOLINT(cppcoreguidelines-pro-type-const-cast)
  if (SSL_ctrl(ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name, sni) != 1) {
    return make_error("TLS: SNI " + name);
  }
  if (SSL_set1_host(ssl, name.c_str()) != 1) return make_error("TLS: host name " + name);
  return {};
}

std::string verification_failure(const SSL* ssl) {
  const long result = SSL_get_verify_result(ssl);
  if (result == X509_V_OK) return "";
  return std::string("certificate verify failed: ") + X509_verify_cert_error_string(result);
}

}  // namespace jk::kube
