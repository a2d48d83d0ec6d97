#include "launchspec/request_path.h"

#include <array>

#include "common/strings.h"

namespace jk::launchspec {
namespace {

constexpr std::string_view kHexDigits = "0123456789ABCDEF";
constexpr int kHexBase = 16;
constexpr unsigned char kDelete = 0x7f;
constexpr unsigned char kFirstPrintable = 0x21;  // no space either

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
bool is_escape_at(std::string_view s, std::size_t i) {
  return i + 2 < s.size() && s[i] == '%' && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0;
}
unsigned char escape_value(std::string_view s, std::size_t i) {
  return static_cast<unsigned char>(hex_value(s[i + 1]) * kHexBase + hex_value(s[i + 2]));
}
bool is_unreserved(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}
std::string hex_byte(unsigned char c) {
  const auto value = static_cast<std::size_t>(c);
  const auto base = static_cast<std::size_t>(kHexBase);
  return {'%', kHexDigits[value / base], kHexDigits[value % base]};
}

// Every escape decoded (the input has only well-formed escapes by then).
std::string decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && is_escape_at(s, i)) {
      out += static_cast<char>(escape_value(s, i));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

// Strict UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF.
bool is_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t extra = 0;
    unsigned lo = 0x80, hi = 0xBF;  // NOLINT: allowed range of the second byte
    if (c < 0x80) {                 // NOLINT
      ++i;
      continue;
    }
    if (c >= 0xC2 && c <= 0xDF) {  // NOLINT
      extra = 1;
    } else if (c >= 0xE0 && c <= 0xEF) {  // NOLINT
      extra = 2;
      if (c == 0xE0) lo = 0xA0;           // NOLINT: overlong
      if (c == 0xED) hi = 0x9F;           // NOLINT: surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {  // NOLINT
      extra = 3;
      if (c == 0xF0) lo = 0x90;  // NOLINT: overlong
      if (c == 0xF4) hi = 0x8F;  // NOLINT: above U+10FFFF
    } else {
      return false;
    }
    if (i + extra >= s.size()) return false;
    for (std::size_t k = 1; k <= extra; ++k) {
      const auto b = static_cast<unsigned char>(s[i + k]);
      const unsigned min = k == 1 ? lo : 0x80, max = k == 1 ? hi : 0xBF;  // NOLINT
      if (b < min || b > max) return false;
    }
    i += extra + 1;
  }
  return true;
}

// Pass 1: validates the raw path and rewrites its escapes (unreserved decoded, others upper-case).
Result<std::string> normalize_escapes(std::string_view path) {
  std::string out;
  out.reserve(path.size());
  for (std::size_t i = 0; i < path.size(); ++i) {
    const auto c = static_cast<unsigned char>(path[i]);
    if (c == '\\') return make_error("ambiguous path: '\\' (some servers read it as '/')");
    if (c < kFirstPrintable || c >= kDelete) {
      return make_error("bad path: byte " + hex_byte(c) + " must be percent-encoded");
    }
    if (c != '%') {
      out += path[i];
      continue;
    }
    if (!is_escape_at(path, i)) {
      return make_error("bad path: malformed percent-escape at column " + std::to_string(i + 1));
    }
    const unsigned char v = escape_value(path, i);
    i += 2;
    if (v < ' ' || v == kDelete) {
      return make_error("ambiguous path: encoded control character " + hex_byte(v));
    }
    if (v == '\\') return make_error("ambiguous path: %5C (some servers read it as '/')");
    if (is_unreserved(v)) {
      out += static_cast<char>(v);
    } else {
      out += hex_byte(v);
    }
  }
  for (std::size_t at = out.find("%25"); at != std::string::npos; at = out.find("%25", at + 1)) {
    if (at + 4 < out.size() && hex_value(out[at + 3]) >= 0 && hex_value(out[at + 4]) >= 0) {
      return make_error("ambiguous path: double percent-encoding \"" + out.substr(at, 5) +
                        "\" (a second decoding would read \"" + decode(out.substr(at, 5)) + "\")");
    }
  }
  return out;
}

// Pass 2: RFC 3986 5.2.4 on the segments between raw '/'.
std::string remove_dot_segments(std::string_view path) {
  const std::vector<std::string_view> segments = split(path.substr(1), '/');
  std::vector<std::string_view> out;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const bool last = i + 1 == segments.size();
    if (segments[i] == "." || segments[i] == "..") {
      if (segments[i] == ".." && !out.empty()) out.pop_back();
      if (last) out.emplace_back();
      continue;
    }
    out.push_back(segments[i]);
  }
  std::string result;
  for (const std::string_view s : out) {
    result += '/';
    result += s;
  }
  return result.empty() ? "/" : result;
}

// Characters that Unicode normalization (NFKC, "best fit" code pages) turns into '.', '/' or '\'
// in some servers: U+2024 ONE DOT LEADER, U+FE52, U+FF0E FULLWIDTH FULL STOP, U+2044, U+2215,
// U+FF0F FULLWIDTH SOLIDUS, U+FE68, U+FF3C FULLWIDTH REVERSE SOLIDUS, U+2216.
constexpr std::array<std::string_view, 9> kLookalikes = {
    "\xE2\x80\xA4", "\xEF\xB9\x92", "\xEF\xBC\x8E", "\xE2\x81\x84", "\xE2\x88\x95",
    "\xEF\xBC\x8F", "\xEF\xB9\xA8", "\xEF\xBC\xBC", "\xE2\x88\x96"};

Status check_decoded(std::string_view decoded) {
  if (!is_utf8(decoded)) return make_error("ambiguous path: not UTF-8 once decoded");
  for (const std::string_view lookalike : kLookalikes) {
    if (decoded.find(lookalike) != std::string_view::npos) {
      return make_error(
          "ambiguous path: a character that Unicode normalization reads as '.', '/' or '\\'");
    }
  }
  return {};
}

// A server that decodes first and cuts ';parameters' after reads "..%3B" as "..": refused.
Status check_decoded_parameters(std::string_view path) {
  const std::string decoded = decode(path);
  for (const std::string_view piece : split(decoded, '/')) {
    const std::string_view cut = piece.substr(0, piece.find(';'));
    if (cut != piece && (cut == "." || cut == "..")) {
      return make_error("ambiguous path: a \"" + std::string(cut) +
                        "\" segment appears when escapes are decoded and ';parameters' cut");
    }
  }
  return {};
}

void merge_empty(std::vector<std::string>& segments) {
  std::vector<std::string> kept;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    if (!segments[i].empty() || i + 1 == segments.size()) kept.push_back(std::move(segments[i]));
  }
  segments = std::move(kept);
}

Result<PathReading> read_path(std::string_view path, bool slash, bool params, bool merge) {
  PathReading reading{{}, slash, params, merge};
  for (std::string_view segment : split(path.substr(1), '/')) {
    if (params) segment = segment.substr(0, segment.find(';'));
    std::string decoded = decode(segment);
    if (!slash) {
      reading.segments.push_back(std::move(decoded));
      continue;
    }
    for (const std::string_view piece : split(decoded, '/')) reading.segments.emplace_back(piece);
  }
  if (slash || params) {
    for (const std::string& s : reading.segments) {
      if (s == "." || s == "..") {
        return make_error(std::string("ambiguous path: a \"") + s + "\" segment appears when " +
                          (slash ? "%2F is read as '/'" : "';parameters' are cut"));
      }
    }
  }
  if (merge) merge_empty(reading.segments);
  return reading;
}

}  // namespace

Result<CanonicalTarget> canonicalize_target(std::string_view target) {
  if (target.empty() || target[0] != '/') return make_error("bad path: must start with '/'");
  if (target.find('#') != std::string_view::npos) {
    return make_error("bad path: a request target has no fragment ('#')");
  }
  const std::size_t question = target.find('?');
  CanonicalTarget out;
  if (question != std::string_view::npos) out.query = std::string(target.substr(question));
  JK_TRY(const std::string escaped, normalize_escapes(target.substr(0, question)));
  out.path = remove_dot_segments(escaped);
  JK_TRY_STATUS(check_decoded(decode(out.path)));
  constexpr int kCombinations = 8;
  for (int bits = 0; bits < kCombinations; ++bits) {
    JK_TRY(PathReading reading, read_path(out.path, (bits & 1) != 0, (bits & 2) != 0,
                                          (bits & 4) != 0));  // NOLINT(readability-magic-numbers)
    out.readings.push_back(std::move(reading));
  }
  JK_TRY_STATUS(check_decoded_parameters(out.path));
  return out;
}

}  // namespace jk::launchspec
