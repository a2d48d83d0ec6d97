#pragma once
// Internal to jk_kube (includes Asio): the client TLS context for one ClientConfig, and the
// per-connection peer checks (SNI, host name or IP verification).
#include <openssl/ssl.h>

#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <string>

#include "common/result.h"
#include "webhook/kube/client_config.h"

namespace jk::kube {

// TLS >= 1.2; trusts ca_pem (system roots when empty) unless insecure_skip_tls_verify; presents
// the client certificate and key when configured.
Result<std::shared_ptr<boost::asio::ssl::context>> make_client_tls_context(
    const ClientConfig& config);

// Sets SNI (DNS names only) and the name or IP address the certificate must match.
Status configure_peer_checks(SSL* ssl, const ClientConfig& config);

// "certificate verify failed: <reason>" when the chain or name check failed, else "".
std::string verification_failure(const SSL* ssl);

}  // namespace jk::kube
