#pragma once
// The name a leaf certificate is issued for. It usually comes from the TLS SNI, which the jailed
// agent controls, so it is validated before anything is signed for it.
#include "common/result.h"

#include <string>
#include <string_view>

namespace jk::launcher::tls {

struct LeafName {
  // Canonical form, also the cache key: a lower-case DNS name without a trailing dot, or an IP
  // address as inet_ntop prints it (IPv6 without brackets).
  std::string text;
  bool is_ip = false;
};

// Accepts a DNS host name (labels of [a-z0-9_-], 1..63 characters, not starting or ending with
// '-', at most 253 characters in all; case and one trailing dot ignored), an IPv4 literal, or an
// IPv6 literal (optionally in brackets). Everything else, wildcards included, is an Error.
Result<LeafName> parse_leaf_name(std::string_view name);

}  // namespace jk::launcher::tls
