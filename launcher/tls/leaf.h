#pragma once
// One issued leaf certificate; immutable, shared by every connection that uses it.
#include "launcher/tls/openssl_handles.h"

#include <chrono>
#include <string>

namespace jk::launcher::tls {

struct Leaf {
  std::string name;  // canonical (LeafName::text); also the cache key
  X509Ptr certificate;
  std::chrono::system_clock::time_point not_after;
};

}  // namespace jk::launcher::tls
