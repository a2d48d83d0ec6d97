#pragma once
// Builds the server's ssl::context from PEM files (TLS 1.2+, ECDHE+AEAD ciphers, key exchange
// over X25519, P-256 or P-384 only, no compression, no renegotiation, optional client-certificate
// verification) and holds the current one.
#include <boost/asio/ssl/context.hpp>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "common/result.h"

namespace jk::server {

namespace ssl = boost::asio::ssl;

struct TlsFiles {
  std::string cert;       // PEM chain, leaf first
  std::string key;        // PEM private key
  std::string client_ca;  // empty: clients are not asked for a certificate
};

struct TlsMaterial {
  std::shared_ptr<ssl::context> context;
  std::int64_t not_after = 0;  // leaf certificate expiry, Unix seconds
};

// Reads the files and builds a context. Errors name the file: "tls-key /x: key does not match
// certificate", "tls-cert /x.pem: No such file or directory".
Result<TlsMaterial> make_server_context(const TlsFiles& files);
// Same, from PEM contents already read (paths are used in error messages only).
Result<TlsMaterial> make_server_context(const TlsFiles& files, const std::string& cert_pem,
                                        const std::string& key_pem);

// Reads a whole file; the error carries strerror(errno).
Result<std::string> read_file(const std::string& path);

// The context new connections use. Sessions copy the shared_ptr, so a swap never affects them.
class TlsContextStore {
 public:
  [[nodiscard]] std::shared_ptr<ssl::context> get() const {
    std::lock_guard lock(mu_);
    return current_;
  }
  void set(std::shared_ptr<ssl::context> context) {
    std::lock_guard lock(mu_);
    current_ = std::move(context);
  }

 private:
  mutable std::mutex mu_;
  std::shared_ptr<ssl::context> current_;
};

}  // namespace jk::server
