#include "launcher/tls/key_type.h"

#include <openssl/evp.h>

namespace jk::launcher::tls {

namespace {
constexpr unsigned int kRsaBits = 2048;
}  // namespace

std::string_view key_type_name(KeyType type) {
  return type == KeyType::kRsa2048 ? "rsa-2048" : "ec-p256";
}

Result<EvpPkeyPtr> generate_key(KeyType type) {
  EVP_PKEY* key = type == KeyType::kRsa2048 ? EVP_RSA_gen(kRsaBits) : EVP_EC_gen("P-256");
  if (key == nullptr) {
    return make_error(openssl_error("generate " + std::string(key_type_name(type)) + " key"));
  }
  return EvpPkeyPtr(key);
}

}  // namespace jk::launcher::tls
