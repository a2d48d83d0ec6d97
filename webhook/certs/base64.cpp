#include "webhook/certs/base64.h"

#include <openssl/evp.h>

#include "common/base64.h"

namespace jk::certs {
namespace {
constexpr std::size_t kQuantum = 4;
constexpr std::size_t kBytesPerQuantum = 3;
}  // namespace

std::string base64_encode(std::string_view data) { return jk::base64_encode(data); }

std::optional<std::string> base64_decode(std::string_view text) {
  if (text.size() % kQuantum != 0) return std::nullopt;
  std::string out(text.size() / kQuantum * kBytesPerQuantum, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(text.data()),
                                static_cast<int>(text.size()));
  if (n < 0) return std::nullopt;
  std::size_t len = static_cast<std::size_t>(n);
  // EVP_DecodeBlock counts the padding as zero bytes.
  for (std::size_t i = text.size(); i > 0 && text[i - 1] == '=' && len > 0; --i) --len;
  out.resize(len);
  return out;
}

}  // namespace jk::certs
