#include "webhook/kube/url_query.h"

#include <cctype>

namespace jk::kube {

std::string query_escape(std::string_view value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  constexpr unsigned kNibble = 4;
  constexpr unsigned kLowMask = 0xF;
  std::string out;
  for (const char c : value) {
    const auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(kHex[byte >> kNibble]);
      out.push_back(kHex[byte & kLowMask]);
    }
  }
  return out;
}

}  // namespace jk::kube
