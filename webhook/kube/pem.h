#pragma once
// PEM validation with OpenSSL (private to webhook/kube), so that a broken CA or key is reported
// at startup with the field that holds it, not as a TLS handshake failure later.
#include <string>

#include "common/result.h"

namespace jk::kube {

// At least one certificate, and every PEM block a certificate.
Status validate_ca_bundle(const std::string& pem);
// A certificate, a private key, and the key belongs to the certificate.
Status validate_client_certificate(const std::string& cert_pem);
Status validate_private_key(const std::string& key_pem);
Status validate_key_matches(const std::string& cert_pem, const std::string& key_pem);

}  // namespace jk::kube
