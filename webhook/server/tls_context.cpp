#include "webhook/server/tls_context.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <fstream>
#include <sstream>

namespace jk::server {
namespace {

// Key exchange: elliptic-curve groups only. A client that offers only finite-field groups
// (ffdhe2048..8192) gets a handshake failure instead of costing up to ~150 ms of CPU per
// handshake (ffdhe8192; X25519 costs ~1 ms; bench/README.md "Robustness"). P-521 and X448 add
// cost and nothing a Kubernetes API server uses.
constexpr const char* kGroups = "X25519:P-256:P-384";
constexpr long kSessionCacheSize = 1024;

// TLS 1.2 suites: forward secrecy (ECDHE) and AEAD only. TLS 1.3 suites are OpenSSL's defaults.
constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};
struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
using BioPtr = std::unique_ptr<BIO, BioFree>;
using X509Ptr = std::unique_ptr<X509, X509Free>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;

std::string openssl_error(std::string_view fallback) {
  const unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return std::string(fallback);
  char buf[256];
  ERR_error_string_n(code, buf, sizeof buf);
  return buf;
}

BioPtr memory_bio(const std::string& pem) {
  return BioPtr(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
}

Result<X509Ptr> parse_leaf(const std::string& path, const std::string& pem) {
  const BioPtr bio = memory_bio(pem);
  X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  if (!cert)
    return make_error("tls-cert " + path + ": no PEM certificate (" + openssl_error("empty file") +
                      ")");
  return cert;
}

Result<PkeyPtr> parse_key(const std::string& path, const std::string& pem) {
  const BioPtr bio = memory_bio(pem);
  PkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  if (!key)
    return make_error("tls-key " + path + ": no PEM private key (" + openssl_error("empty file") +
                      ")");
  return key;
}

Result<std::int64_t> not_after(const std::string& path, const X509* cert) {
  std::tm tm{};
  if (ASN1_TIME_to_tm(X509_get0_notAfter(cert), &tm) != 1) {
    return make_error("tls-cert " + path + ": unreadable notAfter");
  }
  return static_cast<std::int64_t>(timegm(&tm));
}

Result<std::shared_ptr<ssl::context>> new_context() {
  try {
    return std::make_shared<ssl::context>(ssl::context::tls_server);
  } catch (const std::exception& e) {
    return make_error(std::string("tls context: ") + e.what());
  }
}

Status harden(ssl::context& ctx) {
  SSL_CTX* native = ctx.native_handle();
  if (SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION) != 1) {
    return make_error("tls context: " + openssl_error("cannot set minimum version"));
  }
  SSL_CTX_set_options(native, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION |
                                  SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_SINGLE_ECDH_USE);
  if (SSL_CTX_set_cipher_list(native, kTls12Ciphers) != 1) {
    return make_error("tls context: " + openssl_error("cannot set cipher list"));
  }
  if (SSL_CTX_set1_groups_list(native, kGroups) != 1) {
    return make_error("tls context: " + openssl_error("cannot set key exchange groups"));
  }
  // TLS 1.2 resumption keeps sessions in the server: bounded (OpenSSL's default is 20,480).
  SSL_CTX_sess_set_cache_size(native, kSessionCacheSize);
  return {};
}

Status use_pair(ssl::context& ctx, const TlsFiles& files, const std::string& cert_pem,
                EVP_PKEY* key) {
  boost::system::error_code ec;
  ctx.use_certificate_chain(boost::asio::buffer(cert_pem), ec);
  if (ec) return make_error("tls-cert " + files.cert + ": " + ec.message());
  if (SSL_CTX_use_PrivateKey(ctx.native_handle(), key) != 1) {
    return make_error("tls-key " + files.key + ": " + openssl_error("rejected"));
  }
  return {};
}

Status use_client_ca(ssl::context& ctx, const std::string& path) {
  if (path.empty()) return {};
  auto pem = read_file(path);
  if (!pem) return Error{"client-ca " + pem.error().message};
  boost::system::error_code ec;
  ctx.add_certificate_authority(boost::asio::buffer(*pem), ec);
  if (ec) return make_error("client-ca " + path + ": " + ec.message());
  ctx.set_verify_mode(ssl::verify_peer | ssl::verify_fail_if_no_peer_cert, ec);
  if (ec) return make_error("client-ca " + path + ": " + ec.message());
  return {};
}

}  // namespace

Result<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(path + ": " + std::strerror(errno));
  std::ostringstream out;
  out << in.rdbuf();
  if (in.bad()) return make_error(path + ": read error");
  return out.str();
}

Result<TlsMaterial> make_server_context(const TlsFiles& files) {
  auto cert_pem = read_file(files.cert);
  if (!cert_pem) return Error{"tls-cert " + cert_pem.error().message};
  auto key_pem = read_file(files.key);
  if (!key_pem) return Error{"tls-key " + key_pem.error().message};
  return make_server_context(files, *cert_pem, *key_pem);
}

Result<TlsMaterial> make_server_context(const TlsFiles& files, const std::string& cert_pem,
                                        const std::string& key_pem) {
  JK_TRY(const X509Ptr leaf, parse_leaf(files.cert, cert_pem));
  JK_TRY(const PkeyPtr key, parse_key(files.key, key_pem));
  if (X509_check_private_key(leaf.get(), key.get()) != 1) {
    ERR_clear_error();
    return make_error("tls-key " + files.key + ": key does not match certificate");
  }
  JK_TRY(const std::int64_t expiry, not_after(files.cert, leaf.get()));
  JK_TRY(std::shared_ptr<ssl::context> ctx, new_context());
  JK_TRY_STATUS(harden(*ctx));
  JK_TRY_STATUS(use_pair(*ctx, files, cert_pem, key.get()));
  JK_TRY_STATUS(use_client_ca(*ctx, files.client_ca));
  return TlsMaterial{std::move(ctx), expiry};
}

}  // namespace jk::server
