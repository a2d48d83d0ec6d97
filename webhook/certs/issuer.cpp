#include "webhook/certs/issuer.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rand.h>

#include <array>

#include "webhook/certs/openssl_types.h"

namespace jk::certs {
namespace {

constexpr int kSerialBits = 127;  // positive and < 20 octets, as RFC 5280 asks
constexpr long kCertVersion3 = 2;
constexpr std::size_t kErrorBuffer = 256;

std::string openssl_failure(const std::string& what) {
  const unsigned long code = ERR_get_error();
  ERR_clear_error();
  std::array<char, kErrorBuffer> buf{};
  if (code != 0) ERR_error_string_n(code, buf.data(), buf.size());
  return what + ": " + (code != 0 ? buf.data() : "unknown OpenSSL error");
}

Result<KeyPtr> new_key() {
  KeyPtr key(EVP_EC_gen("P-256"));
  if (!key) return make_error(openssl_failure("generate P-256 key"));
  return key;
}

long seconds(Clock::duration d) {
  return static_cast<long>(std::chrono::duration_cast<std::chrono::seconds>(d).count());
}

Status set_basics(X509* cert, const std::string& cn, const IssueRequest& r,
                  Clock::duration lifetime) {
  BnPtr serial(BN_new());
  if (!serial || BN_rand(serial.get(), kSerialBits, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) != 1 ||
      BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert)) == nullptr) {
    return make_error(openssl_failure("serial number"));
  }
  X509_set_version(cert, kCertVersion3);
  std::time_t now = Clock::to_time_t(r.now);
  X509_time_adj_ex(X509_getm_notBefore(cert), 0, -seconds(kClockSkewAllowance), &now);
  X509_time_adj_ex(X509_getm_notAfter(cert), 0, seconds(lifetime), &now);
  X509_NAME* name = X509_get_subject_name(cert);
  const auto* text = reinterpret_cast<const unsigned char*>(cn.c_str());
  if (X509_NAME_add_entry_by_NID(name, NID_commonName, MBSTRING_UTF8, text, -1, -1, 0) != 1) {
    return make_error(openssl_failure("subject " + cn));
  }
  return {};
}

Status add_extension(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  ExtPtr ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str()));
  if (!ext || X509_add_ext(cert, ext.get(), -1) != 1) {
    return make_error(openssl_failure(std::string(OBJ_nid2sn(nid)) + "=" + value));
  }
  return {};
}

Status sign(X509* cert, X509* issuer, EVP_PKEY* subject_key, EVP_PKEY* issuer_key) {
  X509_set_issuer_name(cert, X509_get_subject_name(issuer));
  X509_set_pubkey(cert, subject_key);
  if (X509_sign(cert, issuer_key, EVP_sha256()) == 0) return make_error(openssl_failure("sign"));
  return {};
}

Result<X509Ptr> make_ca(EVP_PKEY* key, const IssueRequest& r) {
  X509Ptr ca(X509_new());
  JK_TRY_STATUS(set_basics(ca.get(), r.common_name + " CA", r, r.validity + kCaExtraLifetime));
  X509_set_pubkey(ca.get(), key);  // the key identifiers below are derived from it
  JK_TRY_STATUS(
      add_extension(ca.get(), ca.get(), NID_basic_constraints, "critical,CA:TRUE,pathlen:0"));
  JK_TRY_STATUS(add_extension(ca.get(), ca.get(), NID_key_usage, "critical,keyCertSign,cRLSign"));
  JK_TRY_STATUS(add_extension(ca.get(), ca.get(), NID_subject_key_identifier, "hash"));
  JK_TRY_STATUS(sign(ca.get(), ca.get(), key, key));
  return ca;
}

std::string san_value(const std::vector<std::string>& dns_names) {
  std::string out;
  for (const auto& name : dns_names) out += (out.empty() ? "DNS:" : ",DNS:") + name;
  return out;
}

Result<X509Ptr> make_leaf(EVP_PKEY* key, X509* ca, EVP_PKEY* ca_key, const IssueRequest& r) {
  X509Ptr leaf(X509_new());
  JK_TRY_STATUS(set_basics(leaf.get(), r.common_name, r, r.validity));
  X509_set_pubkey(leaf.get(), key);
  JK_TRY_STATUS(add_extension(leaf.get(), ca, NID_basic_constraints, "critical,CA:FALSE"));
  JK_TRY_STATUS(add_extension(leaf.get(), ca, NID_key_usage, "critical,digitalSignature"));
  JK_TRY_STATUS(add_extension(leaf.get(), ca, NID_ext_key_usage, "serverAuth"));
  JK_TRY_STATUS(add_extension(leaf.get(), ca, NID_subject_alt_name, san_value(r.dns_names)));
  JK_TRY_STATUS(add_extension(leaf.get(), ca, NID_authority_key_identifier, "keyid:always"));
  JK_TRY_STATUS(sign(leaf.get(), ca, key, ca_key));
  return leaf;
}

std::string bio_text(BIO* bio) {
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<std::size_t>(len));
}

std::string cert_pem(X509* cert) {
  BioPtr out(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509(out.get(), cert);
  return bio_text(out.get());
}

std::string key_pem(EVP_PKEY* key) {
  BioPtr out(BIO_new(BIO_s_mem()));
  PEM_write_bio_PrivateKey(out.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
  return bio_text(out.get());
}

}  // namespace

Result<TlsMaterial> issue_ca_and_leaf(const IssueRequest& request) {
  if (request.dns_names.empty()) return make_error("a serving certificate needs a DNS name");
  if (request.validity <= std::chrono::hours::zero()) return make_error("validity must be > 0");
  JK_TRY(const KeyPtr ca_key, new_key());
  JK_TRY(const KeyPtr leaf_key, new_key());
  JK_TRY(const X509Ptr ca, make_ca(ca_key.get(), request));
  JK_TRY(const X509Ptr leaf, make_leaf(leaf_key.get(), ca.get(), ca_key.get(), request));
  return TlsMaterial{cert_pem(leaf.get()), key_pem(leaf_key.get()), cert_pem(ca.get())};
}

}  // namespace jk::certs
