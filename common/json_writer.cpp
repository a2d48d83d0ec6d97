#include "common/json_writer.h"

#include <cstdint>
#include <cstring>

namespace jk {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// Length of the valid UTF-8 sequence starting at s[i] (1-4), or 0 when it is not valid
// (overlong forms, surrogates and code points above U+10FFFF are invalid, as in RFC 3629).
std::size_t utf8_length(std::string_view s, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
  const unsigned char c = byte(0);
  std::size_t n = 0;
  unsigned char lo = 0x80;
  unsigned char hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  if (byte(1) < lo || byte(1) > hi) return 0;
  for (std::size_t k = 2; k < n; ++k) {
    if (byte(k) < 0x80 || byte(k) > 0xBF) return 0;
  }
  return n;
}

// True when none of the 8 bytes at p needs a look of its own: printable ASCII other than '"'
// and '\\' (most of what the webhook writes). Word-at-a-time tests, exact for "is there any":
// has_zero(x) is non-zero iff a byte of x is 0; (w - 0x20..) & ~w & 0x80.. iff a byte is < 0x20.
bool plain_ascii8(const char* p) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kHigh = 0x8080808080808080ULL;
  std::uint64_t w = 0;
  std::memcpy(&w, p, sizeof w);
  const auto has_zero = [](std::uint64_t x) { return (x - kOnes) & ~x & kHigh; };
  const std::uint64_t special = (w & kHigh) | ((w - 0x20 * kOnes) & ~w & kHigh) |
                                has_zero(w ^ ('"' * kOnes)) | has_zero(w ^ ('\\' * kOnes));
  return special == 0;
}

void append_escape(std::string& out, unsigned char c) {
  static constexpr char kHex[] = "0123456789abcdef";
  switch (c) {
    case '"':
      out += "\\\"";
      return;
    case '\\':
      out += "\\\\";
      return;
    case '\n':
      out += "\\n";
      return;
    case '\r':
      out += "\\r";
      return;
    case '\t':
      out += "\\t";
      return;
    case '\b':
      out += "\\b";
      return;
    case '\f':
      out += "\\f";
      return;
    default:
      out += "\\u00";
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
  }
}

}  // namespace

void append_json_string(std::string& out, std::string_view s) {
  out += '"';
  append_json_escaped(out, s);
  out += '"';
}

void append_json_escaped(std::string& out, std::string_view s) {
  std::size_t run = 0;  // start of the bytes that are copied as they are
  std::size_t i = 0;
  const auto flush = [&](std::size_t end) { out.append(s.data() + run, end - run); };
  while (i < s.size()) {
    if (i + 8 <= s.size() && plain_ascii8(s.data() + i)) {
      i += 8;
      continue;
    }
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) {
      ++i;
      continue;
    }
    if (c >= 0x80) {
      if (const std::size_t n = utf8_length(s, i)) {
        i += n;
        continue;
      }
      flush(i);
      out += kReplacement;
    } else {
      flush(i);
      append_escape(out, c);
    }
    run = ++i;
  }
  flush(s.size());
}

void JsonWriter::separate() {
  if (after_value_) out_ += ',';
}

JsonWriter& JsonWriter::open(char bracket) {
  separate();
  out_ += bracket;
  after_value_ = false;
  return *this;
}

JsonWriter& JsonWriter::close(char bracket) {
  out_ += bracket;
  after_value_ = true;
  return *this;
}

JsonWriter& JsonWriter::key(std::string_view name) {
  separate();
  append_json_string(out_, name);
  out_ += ':';
  after_value_ = false;
  return *this;
}

JsonWriter& JsonWriter::string(std::string_view value) {
  separate();
  append_json_string(out_, value);
  after_value_ = true;
  return *this;
}

JsonWriter& JsonWriter::string_pieces(std::span<const std::string_view> pieces) {
  separate();
  out_ += '"';
  for (const std::string_view piece : pieces) append_json_escaped(out_, piece);
  out_ += '"';
  after_value_ = true;
  return *this;
}

JsonWriter& JsonWriter::boolean(bool value) {
  separate();
  out_ += value ? "true" : "false";
  after_value_ = true;
  return *this;
}

JsonWriter& JsonWriter::number(std::int64_t value) {
  separate();
  out_ += std::to_string(value);
  after_value_ = true;
  return *this;
}

}  // namespace jk
