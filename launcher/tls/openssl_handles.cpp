#include "launcher/tls/openssl_handles.h"

#include <openssl/err.h>

#include <array>

namespace jk::launcher::tls {

namespace {
constexpr std::size_t kErrorTextSize = 256;
}  // namespace

std::string openssl_reason(unsigned long code) {
  // The reason alone ("certificate verify failed") reads better in a 502 body than the full
  // "error:0A000086:SSL routines::..." form, which is the fallback.
  if (const char* reason = ERR_reason_error_string(code)) return reason;
  std::array<char, kErrorTextSize> text{};
  ERR_error_string_n(code, text.data(), text.size());
  return text.data();
}

std::string openssl_error(std::string_view what) {
  const unsigned long code = ERR_get_error();
  ERR_clear_error();
  std::string out(what);
  if (code == 0) return out + ": unknown OpenSSL error";
  return out + ": " + openssl_reason(code);
}

}  // namespace jk::launcher::tls
