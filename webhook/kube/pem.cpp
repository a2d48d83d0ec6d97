#include "webhook/kube/pem.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <memory>

namespace jk::kube {
namespace {

template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};
using BioPtr = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;
using X509Ptr = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;

BioPtr memory_bio(const std::string& pem) {
  return BioPtr(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
}

X509Ptr read_cert(BIO* bio) { return X509Ptr(PEM_read_bio_X509(bio, nullptr, nullptr, nullptr)); }

PkeyPtr read_key(const std::string& pem) {
  const BioPtr bio = memory_bio(pem);
  return PkeyPtr(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
}

}  // namespace

Status validate_ca_bundle(const std::string& pem) {
  const BioPtr bio = memory_bio(pem);
  int count = 0;
  while (read_cert(bio.get()) != nullptr) ++count;
  const unsigned long err = ERR_peek_last_error();
  ERR_clear_error();
  // Reading stops with "no start line" at the end of the input; anything else is a bad block.
  const bool clean_end = ERR_GET_REASON(err) == PEM_R_NO_START_LINE;
  if (count == 0) return make_error("no PEM certificate found");
  if (!clean_end)
    return make_error("certificate " + std::to_string(count + 1) + " is not valid PEM");
  return {};
}

Status validate_client_certificate(const std::string& cert_pem) {
  const BioPtr bio = memory_bio(cert_pem);
  const X509Ptr cert = read_cert(bio.get());
  ERR_clear_error();
  if (cert == nullptr) return make_error("not a PEM certificate");
  return {};
}

Status validate_private_key(const std::string& key_pem) {
  const PkeyPtr key = read_key(key_pem);
  ERR_clear_error();
  if (key == nullptr) return make_error("not an unencrypted PEM private key");
  return {};
}

Status validate_key_matches(const std::string& cert_pem, const std::string& key_pem) {
  const BioPtr bio = memory_bio(cert_pem);
  const X509Ptr cert = read_cert(bio.get());
  const PkeyPtr key = read_key(key_pem);
  const bool match =
      cert != nullptr && key != nullptr && X509_check_private_key(cert.get(), key.get()) == 1;
  ERR_clear_error();
  if (!match) return make_error("the private key does not belong to the client certificate");
  return {};
}

}  // namespace jk::kube
