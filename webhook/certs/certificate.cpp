#include "webhook/certs/certificate.h"

#include <openssl/err.h>
#include <openssl/pem.h>

#include <array>
#include <ctime>

#include "webhook/certs/openssl_types.h"

namespace jk::certs {
namespace {

constexpr std::size_t kTextBuffer = 256;  // OpenSSL error strings and subject names
constexpr unsigned kNibbleBits = 4;
constexpr unsigned kNibbleMask = 0xFU;

std::string openssl_error() {
  const unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return "unknown OpenSSL error";
  std::array<char, kTextBuffer> buf{};
  ERR_error_string_n(code, buf.data(), buf.size());
  return buf.data();
}

BioPtr memory_bio(const std::string& text) {
  return BioPtr(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
}

Clock::time_point to_time_point(const ASN1_TIME* t) {
  std::tm tm{};
  ASN1_TIME_to_tm(t, &tm);
  return Clock::from_time_t(timegm(&tm));
}

std::string to_pem(X509* cert) {
  BioPtr out(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509(out.get(), cert);
  char* data = nullptr;
  const long len = BIO_get_mem_data(out.get(), &data);
  return std::string(data, static_cast<std::size_t>(len));
}

std::string fingerprint(const X509* cert) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned int len = 0;
  X509_digest(cert, EVP_sha256(), md.data(), &len);
  static constexpr std::string_view kHex = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < len; ++i) {
    out += kHex[md[i] >> kNibbleBits];
    out += kHex[md[i] & kNibbleMask];
  }
  return out;
}

std::string common_name(X509* cert) {
  std::array<char, kTextBuffer> buf{};
  const int n = X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName, buf.data(),
                                          static_cast<int>(buf.size()));
  return n > 0 ? std::string(buf.data(), static_cast<std::size_t>(n)) : "";
}

std::vector<std::string> dns_names(X509* cert) {
  std::vector<std::string> out;
  NamesPtr names(
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr)));
  if (!names) return out;
  for (int i = 0; i < sk_GENERAL_NAME_num(names.get()); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(names.get(), i);
    if (name->type != GEN_DNS) continue;
    const ASN1_STRING* s = name->d.dNSName;
    out.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                     static_cast<std::size_t>(ASN1_STRING_length(s)));
  }
  return out;
}

Certificate describe(X509* cert) {
  Certificate c;
  c.pem = to_pem(cert);
  c.fingerprint = fingerprint(cert);
  c.subject_cn = common_name(cert);
  c.not_before = to_time_point(X509_get0_notBefore(cert));
  c.not_after = to_time_point(X509_get0_notAfter(cert));
  c.is_ca = X509_check_ca(cert) != 0;
  c.dns_names = dns_names(cert);
  return c;
}

Result<X509Ptr> read_x509(const std::string& pem) {
  auto bio = memory_bio(pem);
  X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  if (!cert) return make_error("not a PEM certificate: " + openssl_error());
  return cert;
}

}  // namespace

Result<std::vector<Certificate>> parse_certificates(const std::string& pem) {
  auto bio = memory_bio(pem);
  std::vector<Certificate> out;
  for (;;) {
    char* name = nullptr;
    char* header = nullptr;
    unsigned char* data = nullptr;
    long len = 0;
    if (PEM_read_bio(bio.get(), &name, &header, &data, &len) != 1) break;
    const std::string type = name;
    const unsigned char* p = data;
    X509Ptr cert(type == "CERTIFICATE" ? d2i_X509(nullptr, &p, len) : nullptr);
    OPENSSL_free(name);
    OPENSSL_free(header);
    OPENSSL_free(data);
    if (type != "CERTIFICATE") continue;
    if (!cert)
      return make_error("certificate " + std::to_string(out.size() + 1) + ": " + openssl_error());
    out.push_back(describe(cert.get()));
  }
  ERR_clear_error();  // the loop ends on "no start line"
  if (out.empty()) return make_error("no PEM certificate found");
  return out;
}

Result<Certificate> parse_certificate(const std::string& pem) {
  JK_TRY(auto all, parse_certificates(pem));
  return std::move(all.front());
}

Status check_key_matches(const std::string& cert_pem, const std::string& key_pem) {
  JK_TRY(auto cert, read_x509(cert_pem));
  auto bio = memory_bio(key_pem);
  KeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  if (!key) return make_error("not a PEM private key: " + openssl_error());
  if (X509_check_private_key(cert.get(), key.get()) != 1) {
    ERR_clear_error();
    return make_error("the private key does not belong to the certificate");
  }
  return {};
}

Status check_signed_by(const std::string& cert_pem, const std::string& ca_pem) {
  JK_TRY(auto cert, read_x509(cert_pem));
  JK_TRY(auto ca, read_x509(ca_pem));
  if (X509_check_issued(ca.get(), cert.get()) != X509_V_OK) {
    return make_error("the certificate was not issued by this CA");
  }
  EVP_PKEY* ca_key = X509_get0_pubkey(ca.get());
  if (ca_key == nullptr || X509_verify(cert.get(), ca_key) != 1) {
    ERR_clear_error();
    return make_error("the certificate's signature does not verify with this CA");
  }
  return {};
}

}  // namespace jk::certs
