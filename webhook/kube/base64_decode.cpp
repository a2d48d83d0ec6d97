#include "webhook/kube/base64_decode.h"

#include <array>
#include <cctype>
#include <cstdint>

namespace jk::kube {
namespace {

constexpr int kInvalid = -1;
constexpr unsigned kBitsPerChar = 6;
constexpr unsigned kBitsPerByte = 8;
constexpr std::uint32_t kByteMask = 0xFF;

constexpr std::array<int, 256> make_table() {
  std::array<int, 256> table{};
  for (int& v : table) v = kInvalid;
  constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  for (std::size_t i = 0; i < kAlphabet.size(); ++i) {
    table[static_cast<unsigned char>(kAlphabet[i])] = static_cast<int>(i);
  }
  return table;
}
constexpr std::array<int, 256> kTable = make_table();

}  // namespace

Result<std::string> base64_decode(std::string_view text) {
  std::string out;
  std::uint32_t acc = 0;
  unsigned bits = 0;
  bool padding = false;
  for (const char c : text) {
    if (std::isspace(static_cast<unsigned char>(c)) != 0) continue;
    if (c == '=') {
      padding = true;
      continue;
    }
    const int v = kTable[static_cast<unsigned char>(c)];
    if (v == kInvalid || padding) return make_error("invalid base64");
    acc = (acc << kBitsPerChar) | static_cast<std::uint32_t>(v);
    bits += kBitsPerChar;
    if (bits >= kBitsPerByte) {
      bits -= kBitsPerByte;
      out.push_back(static_cast<char>((acc >> bits) & kByteMask));
    }
  }
  if (bits >= kBitsPerChar) return make_error("invalid base64 (truncated)");
  return out;
}

}  // namespace jk::kube
