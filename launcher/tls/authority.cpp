#include "launcher/tls/authority.h"

#include <openssl/err.h>

#include <algorithm>

#include "launcher/tls/certificate_factory.h"
#include "launcher/tls/leaf_cache.h"
#include "launcher/tls/leaf_name.h"
#include "launcher/tls/server_context.h"

namespace jk::launcher::tls {

namespace {

std::chrono::system_clock::time_point whole_seconds(std::chrono::system_clock::time_point t) {
  return std::chrono::time_point_cast<std::chrono::seconds>(t);
}

}  // namespace

Result<std::shared_ptr<Authority>> Authority::create(AuthorityOptions options) {
  ERR_clear_error();  // a stale entry (e.g. from loading openssl.cnf) must not become our reason
  std::shared_ptr<Authority> authority(new Authority(std::move(options)));
  JK_TRY_STATUS(authority->initialize());
  return authority;
}

Result<std::shared_ptr<Authority>> Authority::create(KeyType key_type) {
  AuthorityOptions options;
  options.key_type = key_type;
  return create(std::move(options));
}

Authority::Authority(AuthorityOptions options)
    : options_(std::move(options)),
      cache_(std::make_unique<LeafCache>(options_.leaf_cache_capacity)) {}

Authority::~Authority() = default;

Status Authority::initialize() {
  JK_TRY(ca_key_, generate_key(options_.key_type));
  JK_TRY(leaf_key_, generate_key(options_.key_type));
  const auto start = whole_seconds(now());
  ca_not_after_ = start + options_.ca_validity;
  JK_TRY(ca_cert_, make_ca_certificate(ca_key_.get(), {start - options_.backdate, ca_not_after_}));
  JK_TRY(ca_pem_, certificate_pem(ca_cert_.get()));
  JK_TRY(server_ctx_, make_server_context(*this));
  return {};
}

std::chrono::system_clock::time_point Authority::now() const {
  return options_.clock ? options_.clock() : std::chrono::system_clock::now();
}

Result<std::shared_ptr<const Leaf>> Authority::leaf_for(std::string_view name) {
  JK_TRY(const LeafName parsed, parse_leaf_name(name));
  auto cached = cache_->find(parsed.text);
  // A leaf already cut short by the CA's own expiry cannot be improved on: keep it.
  if (cached &&
      (now() + options_.renew_before < cached->not_after || cached->not_after >= ca_not_after_)) {
    return cached;
  }
  JK_TRY(std::shared_ptr<const Leaf> leaf, issue(parsed));
  cache_->put(leaf);
  return leaf;
}

Result<std::shared_ptr<const Leaf>> Authority::issue(const LeafName& name) {
  const auto start = whole_seconds(now());
  const Validity validity{start - options_.backdate,
                          std::min(start + options_.leaf_validity, ca_not_after_)};
  JK_TRY(X509Ptr cert, make_leaf_certificate(name, leaf_key_.get(),
                                             Issuer{ca_cert_.get(), ca_key_.get()}, validity));
  return std::shared_ptr<const Leaf>(
      std::make_shared<Leaf>(Leaf{name.text, std::move(cert), validity.not_after}));
}

Status Authority::use_leaf_for(SSL* ssl, std::string_view name) {
  JK_TRY(const std::shared_ptr<const Leaf> leaf, leaf_for(name));
  if (SSL_use_certificate(ssl, leaf->certificate.get()) != 1 ||
      SSL_use_PrivateKey(ssl, leaf_key_.get()) != 1) {
    return make_error(openssl_error("install certificate for " + leaf->name));
  }
  return {};
}

std::size_t Authority::cached_leaf_count() const { return cache_->size(); }

}  // namespace jk::launcher::tls
