#include "launcher/proxy/first_bytes.h"

#include <algorithm>

#include "launcher/proxy/http_token.h"

namespace jk::launcher::proxy {
namespace {

constexpr unsigned char kTlsHandshakeRecord = 0x16;
constexpr unsigned char kTlsMajorVersion = 0x03;
constexpr std::string_view kConnectPrefix = "CONNECT ";

Protocol classify_tls(std::string_view bytes) {
  if (bytes.size() < 2) return Protocol::kNeedMore;
  return static_cast<unsigned char>(bytes[1]) == kTlsMajorVersion ? Protocol::kTls
                                                                  : Protocol::kUnknown;
}

}  // namespace

Protocol classify_first_bytes(std::string_view bytes) {
  if (bytes.empty()) return Protocol::kNeedMore;
  if (static_cast<unsigned char>(bytes[0]) == kTlsHandshakeRecord) return classify_tls(bytes);
  const std::size_t n = std::min(bytes.size(), kConnectPrefix.size());
  if (bytes.substr(0, n) == kConnectPrefix.substr(0, n)) {
    return n == kConnectPrefix.size() ? Protocol::kConnect : Protocol::kNeedMore;
  }
  return is_tchar(bytes[0]) ? Protocol::kHttp : Protocol::kUnknown;
}

}  // namespace jk::launcher::proxy
