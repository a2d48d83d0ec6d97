#include "common/base64.h"

#include <array>
#include <cctype>
#include <cstdint>

namespace jk {
namespace {

constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr int kInvalid = -1;
constexpr std::size_t kQuantum = 4;  // characters per 3 bytes
constexpr unsigned kBitsPerChar = 6;
constexpr unsigned kBitsPerByte = 8;
constexpr std::uint32_t kByteMask = 0xFF;

constexpr std::array<int, 256> make_table() {
  std::array<int, 256> table{};
  for (int& v : table) v = kInvalid;
  for (std::size_t i = 0; i < kAlphabet.size(); ++i) {
    table[static_cast<unsigned char>(kAlphabet[i])] = static_cast<int>(i);
  }
  return table;
}
constexpr std::array<int, 256> kTable = make_table();

}  // namespace

void base64_encode_to(std::string_view data, std::string& out) {
  const std::size_t at = out.size();
  out.resize(at + (data.size() + 2) / 3 * 4);  // written in place: no growth per character
  char* o = out.data() + at;
  std::size_t i = 0;
  const auto byte = [&data](std::size_t k) {
    return static_cast<std::uint32_t>(static_cast<unsigned char>(data[k]));
  };
  for (; i + 2 < data.size(); i += 3) {
    const std::uint32_t v = (byte(i) << 16) | (byte(i + 1) << 8) | byte(i + 2);
    *o++ = kAlphabet[(v >> 18) & 63];
    *o++ = kAlphabet[(v >> 12) & 63];
    *o++ = kAlphabet[(v >> 6) & 63];
    *o++ = kAlphabet[v & 63];
  }
  if (i + 1 == data.size()) {
    const std::uint32_t v = byte(i) << 16;
    *o++ = kAlphabet[(v >> 18) & 63];
    *o++ = kAlphabet[(v >> 12) & 63];
    *o++ = '=';
    *o++ = '=';
  } else if (i + 2 == data.size()) {
    const std::uint32_t v = (byte(i) << 16) | (byte(i + 1) << 8);
    *o++ = kAlphabet[(v >> 18) & 63];
    *o++ = kAlphabet[(v >> 12) & 63];
    *o++ = kAlphabet[(v >> 6) & 63];
    *o++ = '=';
  }
}

std::string base64_encode(std::string_view data) {
  std::string out;
  base64_encode_to(data, out);
  return out;
}

Result<std::string> base64_decode(std::string_view text, Base64Padding padding) {
  const bool strict = padding == Base64Padding::kRequired;
  if (strict && text.size() % kQuantum != 0) {
    return make_error("invalid base64 (length not a multiple of 4)");
  }
  std::string out;
  out.reserve(text.size() / kQuantum * 3);
  std::uint32_t acc = 0;
  unsigned bits = 0;
  std::size_t pads = 0;
  for (const char c : text) {
    if (!strict && std::isspace(static_cast<unsigned char>(c)) != 0) continue;
    if (c == '=') {
      ++pads;
      continue;
    }
    const int v = kTable[static_cast<unsigned char>(c)];
    if (v == kInvalid || pads > 0) return make_error("invalid base64");
    acc = (acc << kBitsPerChar) | static_cast<std::uint32_t>(v);
    bits += kBitsPerChar;
    if (bits >= kBitsPerByte) {
      bits -= kBitsPerByte;
      out.push_back(static_cast<char>((acc >> bits) & kByteMask));
    }
  }
  if (bits >= kBitsPerChar) return make_error("invalid base64 (truncated)");
  if (strict && pads > 2) return make_error("invalid base64 (too much padding)");
  return out;
}

}  // namespace jk
