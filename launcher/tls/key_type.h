#pragma once
// The key algorithms the interception CA and its leaf certificates can use.
#include "common/result.h"
#include "launcher/tls/openssl_handles.h"

#include <string_view>

namespace jk::launcher::tls {

enum class KeyType { kEcP256, kRsa2048 };

// "ec-p256" or "rsa-2048".
std::string_view key_type_name(KeyType type);

// A fresh private key of that type (it lives only in this process's memory).
Result<EvpPkeyPtr> generate_key(KeyType type);

}  // namespace jk::launcher::tls
