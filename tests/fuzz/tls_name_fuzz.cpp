// libFuzzer target: a TLS server name (the SNI the jailed agent controls). Validation must never
// crash; an accepted name has a canonical form that is a fixed point, and the leaf issued for it
// matches exactly that name or address. A refused name is never issued for.
#include <openssl/x509v3.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "launcher/tls/authority.h"
#include "launcher/tls/leaf_name.h"

namespace {

using jk::launcher::tls::Authority;
using jk::launcher::tls::AuthorityOptions;

constexpr std::size_t kCacheCapacity = 16;

Authority& authority() {
  static const auto instance = [] {
    AuthorityOptions options;
    options.leaf_cache_capacity = kCacheCapacity;
    auto created = Authority::create(options);
    if (!created.ok()) std::abort();
    return *created;
  }();
  return *instance;
}

bool leaf_matches(X509* cert, const jk::launcher::tls::LeafName& name) {
  if (name.is_ip) return X509_check_ip_asc(cert, name.text.c_str(), 0) == 1;
  return X509_check_host(cert, name.text.data(), name.text.size(), 0, nullptr) == 1;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto parsed = jk::launcher::tls::parse_leaf_name(input);
  const auto leaf = authority().leaf_for(input);
  if (!parsed.ok()) {
    if (leaf.ok()) std::abort();
    return 0;
  }
  const auto again = jk::launcher::tls::parse_leaf_name(parsed->text);
  if (!again.ok() || again->text != parsed->text || again->is_ip != parsed->is_ip) std::abort();
  if (!leaf.ok() || (*leaf)->name != parsed->text) std::abort();
  if (!leaf_matches((*leaf)->certificate.get(), *parsed)) std::abort();
  return 0;
}
