#include "tests/unit/launcher/tls/x509_check.h"

#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <array>

namespace jk::launcher::tls::testing {

namespace {

using StoreCtxPtr =
    std::unique_ptr<X509_STORE_CTX, OpenSslDeleter<X509_STORE_CTX, X509_STORE_CTX_free>>;

void set_host(X509_VERIFY_PARAM* param, const std::string& host) {
  if (host.empty()) return;
  if (X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str()) == 1) return;
  X509_VERIFY_PARAM_set1_host(param, host.c_str(), host.size());
}

}  // namespace

int verify(const VerifyRequest& request) {
  X509StorePtr store(X509_STORE_new());
  X509_STORE_add_cert(store.get(), request.trusted_ca);
  StoreCtxPtr ctx(X509_STORE_CTX_new());
  X509_STORE_CTX_init(ctx.get(), store.get(), request.leaf, nullptr);
  X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx.get());
  X509_VERIFY_PARAM_set_purpose(param, X509_PURPOSE_SSL_SERVER);
  set_host(param, request.host);
  if (request.at) {
    X509_VERIFY_PARAM_set_time(param, std::chrono::system_clock::to_time_t(*request.at));
  }
  if (X509_verify_cert(ctx.get()) == 1) return X509_V_OK;
  return X509_STORE_CTX_get_error(ctx.get());
}

std::string subject_common_name(X509* cert) {
  std::array<char, 256> buf{};
  const int n = X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName, buf.data(),
                                          static_cast<int>(buf.size()));
  return n < 0 ? std::string() : std::string(buf.data(), static_cast<std::size_t>(n));
}

bool has_extension_flag(X509* cert, unsigned int exflag) {
  return (X509_get_extension_flags(cert) & exflag) != 0;
}

std::chrono::seconds lifetime(X509* cert) {
  int days = 0;
  int seconds = 0;
  ASN1_TIME_diff(&days, &seconds, X509_get0_notBefore(cert), X509_get0_notAfter(cert));
  return std::chrono::hours(24) * days + std::chrono::seconds(seconds);
}

X509Ptr parse_pem(const std::string& pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  X509Ptr cert(PEM_read_bio_X509(bio, nullptr, nullptr, nullptr));
  BIO_free(bio);
  return cert;
}

}  // namespace jk::launcher::tls::testing
