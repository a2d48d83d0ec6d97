#pragma once
// The interception certificate authority of one launcher instance. Its private key is generated
// at start and never leaves this process's memory; only ca_certificate_pem() is written out (see
// trust_files.h). Leaf certificates are issued per name on demand, cached (LRU) and re-issued
// when close to expiry. Thread-safe.
#include "common/result.h"
#include "launcher/tls/key_type.h"
#include "launcher/tls/leaf.h"
#include "launcher/tls/openssl_handles.h"

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace jk::launcher::tls {

class LeafCache;
struct LeafName;

using Clock = std::function<std::chrono::system_clock::time_point()>;

struct AuthorityOptions {
  KeyType key_type = KeyType::kEcP256;
  // The CA certificate is valid for ca_validity from now, and from `backdate` before now so a
  // jailed client with a slightly slow clock accepts it. Leaves are clipped to the CA's validity,
  // so interception stops working after ca_validity: the agent trusts this CA only, and a new
  // one means a new launcher. Pick it longer than the longest expected session.
  std::chrono::seconds ca_validity = std::chrono::hours(24 * 7);
  std::chrono::seconds leaf_validity = std::chrono::hours(24);
  std::chrono::seconds backdate = std::chrono::hours(1);
  // A cached leaf with less than this left is re-issued.
  std::chrono::seconds renew_before = std::chrono::hours(1);
  // Distinct names kept; the least recently used is dropped beyond it.
  std::size_t leaf_cache_capacity = 1024;
  // Source of "now" for validity and renewal; empty = std::chrono::system_clock::now.
  Clock clock;
};

class Authority {
 public:
  static Result<std::shared_ptr<Authority>> create(AuthorityOptions options = {});
  static Result<std::shared_ptr<Authority>> create(KeyType key_type);
  ~Authority();
  Authority(const Authority&) = delete;
  Authority& operator=(const Authority&) = delete;

  // The CA certificate (PEM) that the jailed agent must trust.
  [[nodiscard]] const std::string& ca_certificate_pem() const { return ca_pem_; }
  // Borrowed; valid as long as the Authority.
  [[nodiscard]] X509* ca_certificate() const { return ca_cert_.get(); }
  [[nodiscard]] std::chrono::system_clock::time_point ca_not_after() const { return ca_not_after_; }

  // Server-side TLS context for intercepted connections (TLS 1.2+, owned by the Authority, which
  // must outlive every SSL made from it). Its servername callback issues or looks up the leaf
  // for the client's SNI and installs it on the SSL; an invalid SNI aborts the handshake with an
  // unrecognized_name alert. ALPN: selects "http/1.1" when offered, never h2.
  [[nodiscard]] SSL_CTX* server_context() const { return server_ctx_.get(); }

  // Installs the leaf for `name` (DNS name or IP literal) and its key on `ssl`. Call it before
  // the handshake with the original destination's IP so a client that sends no SNI still gets a
  // certificate; an SNI, when present, replaces it.
  Status use_leaf_for(SSL* ssl, std::string_view name);

  // The cached leaf for `name`, issued (or re-issued near expiry) when needed. Errors: invalid
  // name, or an OpenSSL failure.
  Result<std::shared_ptr<const Leaf>> leaf_for(std::string_view name);

  [[nodiscard]] std::size_t cached_leaf_count() const;

 private:
  explicit Authority(AuthorityOptions options);
  Status initialize();
  [[nodiscard]] std::chrono::system_clock::time_point now() const;
  Result<std::shared_ptr<const Leaf>> issue(const LeafName& name);

  AuthorityOptions options_;
  EvpPkeyPtr ca_key_;
  X509Ptr ca_cert_;
  std::string ca_pem_;
  std::chrono::system_clock::time_point ca_not_after_;
  EvpPkeyPtr leaf_key_;  // one key for all leaves: issuing stays cheap even with RSA
  SslCtxPtr server_ctx_;
  std::unique_ptr<LeafCache> cache_;
};

}  // namespace jk::launcher::tls
