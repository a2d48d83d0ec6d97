#include "launcher/tls/openssl_handles.h"

#include <openssl/err.h>

#include <array>

namespace jk::launcher::tls {

namespace {
constexpr std::size_t kErrorTextSize = 256;
}  // namespace

std::string openssl_error(std::string_view what) {
  const unsigned long code = ERR_get_error();
  ERR_clear_error();
  std::string out(what);
  if (code == 0) return out + ": unknown OpenSSL error";
  std::array<char, kErrorTextSize> text{};
  ERR_error_string_n(code, text.data(), text.size());
  return out + ": " + text.data();
}

}  // namespace jk::launcher::tls
