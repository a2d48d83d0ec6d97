#include "tests/support/temp_certs.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace jk::testing {
namespace {

constexpr long kValiditySeconds = 24L * 60 * 60;
constexpr long kBackdateSeconds = 60L * 60;

template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using X509Ptr = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;
using ExtPtr = std::unique_ptr<X509_EXTENSION, Deleter<X509_EXTENSION, X509_EXTENSION_free>>;

void check(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("temp_certs: ") + what);
}

PkeyPtr new_key() {
  PkeyPtr key(EVP_EC_gen("P-256"));
  check(key != nullptr, "EVP_EC_gen");
  return key;
}

std::string to_pem(X509* cert) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  check(PEM_write_bio_X509(bio.get(), cert) == 1, "PEM_write_bio_X509");
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(size));
}

std::string to_pem(EVP_PKEY* key) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  check(PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) == 1,
        "PEM_write_bio_PrivateKey");
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(size));
}

void add_ext(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  ExtPtr ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str()));
  check(ext != nullptr, "X509V3_EXT_conf_nid");
  check(X509_add_ext(cert, ext.get(), -1) == 1, "X509_add_ext");
}

X509Ptr new_cert(const std::string& common_name, long serial, EVP_PKEY* key) {
  X509Ptr cert(X509_new());
  check(cert != nullptr, "X509_new");
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), serial);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -kBackdateSeconds);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), kValiditySeconds);
  X509_set_pubkey(cert.get(), key);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(common_name.c_str()), -1, -1,
                             0);
  return cert;
}

std::string alt_names(const IssueOptions& options) {
  std::string out;
  for (const auto& dns : options.dns_names) out += (out.empty() ? "" : ",") + ("DNS:" + dns);
  for (const auto& ip : options.ip_addresses) out += (out.empty() ? "" : ",") + ("IP:" + ip);
  return out;
}

}  // namespace

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "jk-test-XXXXXX").string();
  check(::mkdtemp(pattern.data()) != nullptr, "mkdtemp");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::string TempDir::file(std::string_view name) const { return path_ + "/" + std::string(name); }

struct TestCa::Keys {
  PkeyPtr key;
  X509Ptr cert;
};

TestCa::TestCa(std::string_view common_name) : keys_(std::make_unique<Keys>()) {
  keys_->key = new_key();
  keys_->cert = new_cert(std::string(common_name), 1, keys_->key.get());
  X509_set_issuer_name(keys_->cert.get(), X509_get_subject_name(keys_->cert.get()));
  add_ext(keys_->cert.get(), keys_->cert.get(), NID_basic_constraints, "critical,CA:TRUE");
  add_ext(keys_->cert.get(), keys_->cert.get(), NID_key_usage, "critical,keyCertSign,cRLSign");
  add_ext(keys_->cert.get(), keys_->cert.get(), NID_subject_key_identifier, "hash");
  check(X509_sign(keys_->cert.get(), keys_->key.get(), EVP_sha256()) > 0, "X509_sign CA");
  cert_pem_ = to_pem(keys_->cert.get());
}

TestCa::~TestCa() = default;

Issued TestCa::issue(const IssueOptions& options) const {
  PkeyPtr key = new_key();
  X509Ptr cert = new_cert(options.common_name, options.serial, key.get());
  X509_set_issuer_name(cert.get(), X509_get_subject_name(keys_->cert.get()));
  add_ext(cert.get(), keys_->cert.get(), NID_basic_constraints, "critical,CA:FALSE");
  add_ext(cert.get(), keys_->cert.get(), NID_key_usage, "critical,digitalSignature");
  add_ext(cert.get(), keys_->cert.get(), NID_ext_key_usage,
          options.client ? "clientAuth" : "serverAuth");
  add_ext(cert.get(), keys_->cert.get(), NID_authority_key_identifier, "keyid:always");
  const std::string sans = alt_names(options);
  if (!sans.empty()) add_ext(cert.get(), keys_->cert.get(), NID_subject_alt_name, sans);
  check(X509_sign(cert.get(), keys_->key.get(), EVP_sha256()) > 0, "X509_sign");
  return Issued{to_pem(cert.get()), to_pem(key.get())};
}

void write_file(const std::string& path, std::string_view contents) {
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(contents.data(), static_cast<std::streamsize>(contents.size()));
    check(out.good(), "write_file");
  }
  ::chmod(path.c_str(), S_IRUSR | S_IWUSR);
}

CertFiles write_server_certs(const std::string& dir, const TestCa& ca, long serial) {
  IssueOptions options;
  options.serial = serial;
  const Issued issued = ca.issue(options);
  CertFiles files{dir + "/ca.pem", dir + "/tls.crt", dir + "/tls.key"};
  write_file(files.ca, ca.cert_pem());
  write_file(files.cert, issued.cert_pem);
  write_file(files.key, issued.key_pem);
  return files;
}

long serial_of(std::string_view cert_pem) {
  BioPtr bio(BIO_new_mem_buf(cert_pem.data(), static_cast<int>(cert_pem.size())));
  X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  check(cert != nullptr, "PEM_read_bio_X509");
  return ASN1_INTEGER_get(X509_get0_serialNumber(cert.get()));
}

}  // namespace jk::testing
