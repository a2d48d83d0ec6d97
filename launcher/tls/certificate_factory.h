#pragma once
// Builds and signs the CA and leaf certificates (pure OpenSSL, no state). Used by Authority.
#include "common/result.h"
#include "launcher/tls/leaf_name.h"
#include "launcher/tls/openssl_handles.h"

#include <chrono>
#include <string>

namespace jk::launcher::tls {

struct Validity {
  std::chrono::system_clock::time_point not_before;
  std::chrono::system_clock::time_point not_after;
};

// Self-signed: subject "jailkeeper-launch CA <random id>", random 159-bit serial,
// basicConstraints critical CA:TRUE pathlen:0, keyUsage critical keyCertSign+cRLSign, SKI.
Result<X509Ptr> make_ca_certificate(EVP_PKEY* key, const Validity& validity);

struct Issuer {
  X509* certificate;
  EVP_PKEY* key;
};

// Signed by `issuer`: CN + SAN (DNS or IP) for `name`, basicConstraints critical CA:FALSE,
// keyUsage critical digitalSignature(+keyEncipherment for RSA), EKU serverAuth, SKI, AKI.
Result<X509Ptr> make_leaf_certificate(const LeafName& name, EVP_PKEY* leaf_key,
                                      const Issuer& issuer, const Validity& validity);

Result<std::string> certificate_pem(X509* certificate);

}  // namespace jk::launcher::tls
