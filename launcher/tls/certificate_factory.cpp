#include "launcher/tls/certificate_factory.h"

#include <openssl/bn.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

#include <array>
#include <cstdio>

namespace jk::launcher::tls {

namespace {

constexpr std::size_t kSerialBytes = 20;  // RFC 5280 maximum; top bit cleared to stay positive
constexpr std::size_t kCaIdBytes = 8;
constexpr unsigned char kPositiveMask = 0x7f;
constexpr std::size_t kMaxCommonName = 64;  // ub-common-name
constexpr long kX509V3 = 2;
constexpr char kCaPrefix[] = "jailkeeper-launch CA ";

Result<std::string> random_hex(std::size_t bytes) {
  std::array<unsigned char, kSerialBytes> buf{};
  if (bytes > buf.size() || RAND_bytes(buf.data(), static_cast<int>(bytes)) != 1) {
    return make_error(openssl_error("random bytes"));
  }
  std::string out;
  for (std::size_t i = 0; i < bytes; ++i) {
    std::array<char, 3> hex{};
    std::snprintf(hex.data(), hex.size(), "%02x", buf[i]);
    out += hex.data();
  }
  return out;
}

Status set_random_serial(X509* cert) {
  std::array<unsigned char, kSerialBytes> buf{};
  if (RAND_bytes(buf.data(), static_cast<int>(buf.size())) != 1) {
    return make_error(openssl_error("random serial"));
  }
  buf[0] &= kPositiveMask;
  BIGNUM* bn = BN_bin2bn(buf.data(), static_cast<int>(buf.size()), nullptr);
  const bool ok = bn != nullptr && BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert)) != nullptr;
  BN_free(bn);
  if (!ok) return make_error(openssl_error("set serial"));
  return {};
}

Status set_validity(X509* cert, const Validity& validity) {
  const time_t from = std::chrono::system_clock::to_time_t(validity.not_before);
  const time_t to = std::chrono::system_clock::to_time_t(validity.not_after);
  if (ASN1_TIME_set(X509_getm_notBefore(cert), from) == nullptr ||
      ASN1_TIME_set(X509_getm_notAfter(cert), to) == nullptr) {
    return make_error(openssl_error("set validity"));
  }
  return {};
}

Status set_common_name(X509_NAME* name, const std::string& cn) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(cn.c_str());
  if (X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, bytes, -1, -1, 0) != 1) {
    return make_error(openssl_error("set common name"));
  }
  return {};
}

// `value` is built from validated names only, so the config syntax cannot be injected.
Status add_extension(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
  const bool ok = ext != nullptr && X509_add_ext(cert, ext, -1) == 1;
  X509_EXTENSION_free(ext);
  if (!ok) return make_error(openssl_error(std::string("add extension ") + OBJ_nid2sn(nid)));
  return {};
}

Result<X509Ptr> new_certificate(EVP_PKEY* subject_key, const Validity& validity) {
  X509Ptr cert(X509_new());
  if (!cert || X509_set_version(cert.get(), kX509V3) != 1 ||
      X509_set_pubkey(cert.get(), subject_key) != 1) {
    return make_error(openssl_error("new certificate"));
  }
  JK_TRY_STATUS(set_random_serial(cert.get()));
  JK_TRY_STATUS(set_validity(cert.get(), validity));
  return cert;
}

Status sign(X509* cert, EVP_PKEY* key) {
  if (X509_sign(cert, key, EVP_sha256()) <= 0) return make_error(openssl_error("sign"));
  return {};
}

Status add_ca_extensions(X509* cert) {
  JK_TRY_STATUS(add_extension(cert, cert, NID_basic_constraints, "critical,CA:TRUE,pathlen:0"));
  JK_TRY_STATUS(add_extension(cert, cert, NID_key_usage, "critical,keyCertSign,cRLSign"));
  return add_extension(cert, cert, NID_subject_key_identifier, "hash");
}

Status add_leaf_extensions(X509* cert, X509* issuer, const LeafName& name, bool rsa) {
  JK_TRY_STATUS(add_extension(cert, issuer, NID_basic_constraints, "critical,CA:FALSE"));
  JK_TRY_STATUS(add_extension(
      cert, issuer, NID_key_usage,
      rsa ? "critical,digitalSignature,keyEncipherment" : "critical,digitalSignature"));
  JK_TRY_STATUS(add_extension(cert, issuer, NID_ext_key_usage, "serverAuth"));
  JK_TRY_STATUS(
      add_extension(cert, issuer, NID_subject_alt_name, (name.is_ip ? "IP:" : "DNS:") + name.text));
  JK_TRY_STATUS(add_extension(cert, issuer, NID_subject_key_identifier, "hash"));
  return add_extension(cert, issuer, NID_authority_key_identifier, "keyid:always");
}

}  // namespace

Result<X509Ptr> make_ca_certificate(EVP_PKEY* key, const Validity& validity) {
  JK_TRY(X509Ptr cert, new_certificate(key, validity));
  JK_TRY(const std::string id, random_hex(kCaIdBytes));
  X509_NAME* subject = X509_get_subject_name(cert.get());
  JK_TRY_STATUS(set_common_name(subject, kCaPrefix + id));
  if (X509_set_issuer_name(cert.get(), subject) != 1) {
    return make_error(openssl_error("set CA issuer"));
  }
  JK_TRY_STATUS(add_ca_extensions(cert.get()));
  JK_TRY_STATUS(sign(cert.get(), key));
  return cert;
}

Result<X509Ptr> make_leaf_certificate(const LeafName& name, EVP_PKEY* leaf_key,
                                      const Issuer& issuer, const Validity& validity) {
  JK_TRY(X509Ptr cert, new_certificate(leaf_key, validity));
  // A CN longer than 64 characters is invalid; the SAN alone names the host then.
  if (name.text.size() <= kMaxCommonName) {
    JK_TRY_STATUS(set_common_name(X509_get_subject_name(cert.get()), name.text));
  }
  if (X509_set_issuer_name(cert.get(), X509_get_subject_name(issuer.certificate)) != 1) {
    return make_error(openssl_error("set leaf issuer"));
  }
  const bool rsa = EVP_PKEY_get_base_id(leaf_key) == EVP_PKEY_RSA;
  JK_TRY_STATUS(add_leaf_extensions(cert.get(), issuer.certificate, name, rsa));
  JK_TRY_STATUS(sign(cert.get(), issuer.key));
  return cert;
}

Result<std::string> certificate_pem(X509* certificate) {
  BIO* bio = BIO_new(BIO_s_mem());
  if (bio == nullptr || PEM_write_bio_X509(bio, certificate) != 1) {
    BIO_free(bio);
    return make_error(openssl_error("encode certificate as PEM"));
  }
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  std::string pem(data, static_cast<std::size_t>(size));
  BIO_free(bio);
  return pem;
}

}  // namespace jk::launcher::tls
