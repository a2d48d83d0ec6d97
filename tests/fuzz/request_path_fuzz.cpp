// "What is judged is the path the upstream sees" (issue 13). The input is a request target from
// the jailed agent. When the proxy accepts it, each reference normaliser below (written apart
// from the proxy, after how nginx, Go's net/http, Node/Express, Tomcat and Envoy read a path)
// reads the *forwarded* target; its reading must be one of the readings the proxy judged, so no
// upstream can see a path the rules did not (an allowed request is allowed under every judged
// reading). Also: the canonical form is idempotent, and judging the forwarded target again gives
// the same decision.
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "launchspec/request_path.h"
#include "launchspec/rules.h"

namespace {

using Segments = std::vector<std::string>;

int hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decodes every %XX; nullopt on a malformed escape (the upstream answers 400).
std::optional<std::string> unescape(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out += s[i];
      continue;
    }
    if (i + 2 >= s.size() || hex(s[i + 1]) < 0 || hex(s[i + 2]) < 0) return std::nullopt;
    out += static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2]));
    i += 2;
  }
  return out;
}

Segments split(std::string_view s, std::string_view separators) {
  Segments out;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || separators.find(s[i]) != std::string_view::npos) {
      out.emplace_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  return out;
}

// Segments of an absolute path string ("/a/b" -> {a, b}; "/" -> {""}).
Segments of(std::string_view path) { return split(path.substr(1), "/"); }

// Merges slashes and resolves dot segments the way nginx and Tomcat do (".." above the root is
// an error: nullopt).
std::optional<Segments> merge_and_resolve(const Segments& in) {
  Segments out;
  for (std::size_t i = 0; i < in.size(); ++i) {
    const bool last = i + 1 == in.size();
    if (in[i].empty() && !last) continue;
    if (in[i] == ".") {
      if (last) out.emplace_back();
      continue;
    }
    if (in[i] == "..") {
      if (out.empty()) return std::nullopt;
      out.pop_back();
      if (last) out.emplace_back();
      continue;
    }
    out.push_back(in[i]);
  }
  if (out.empty()) out.emplace_back();
  return out;
}

// nginx (ngx_http_parse_complex_uri, merge_slashes on): decode everything, then merge and
// resolve.
std::optional<Segments> nginx(std::string_view path) {
  const auto decoded = unescape(path);
  if (!decoded) return std::nullopt;
  return merge_and_resolve(of(*decoded));
}

// Go net/http: URL.Path is the decoded path; ServeMux's cleanPath is path.Clean plus the
// original trailing slash.
std::optional<Segments> go(std::string_view path) {
  const auto decoded = unescape(path);
  if (!decoded) return std::nullopt;
  Segments stack;
  for (const std::string& s : of(*decoded)) {
    if (s.empty() || s == ".") continue;
    if (s == "..") {
      if (!stack.empty()) stack.pop_back();
      continue;
    }
    stack.push_back(s);
  }
  if (decoded->size() > 1 && decoded->back() == '/' && !stack.empty()) stack.emplace_back();
  if (stack.empty()) stack.emplace_back();
  return stack;
}

bool ieq(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

// Node: the WHATWG URL parser (special scheme: '\' is a separator, "%2e" spellings are dot
// segments), then Express decodes each segment.
std::optional<Segments> node(std::string_view path) {
  Segments out;
  const Segments raw = split(path.substr(1), "/\\");
  for (std::size_t i = 0; i < raw.size(); ++i) {
    const bool last = i + 1 == raw.size();
    const std::string& s = raw[i];
    const bool one = s == "." || ieq(s, "%2e");
    const bool two = s == ".." || ieq(s, ".%2e") || ieq(s, "%2e.") || ieq(s, "%2e%2e");
    if (one || two) {
      if (two && !out.empty()) out.pop_back();
      if (last) out.emplace_back();
      continue;
    }
    const auto decoded = unescape(s);
    if (!decoded) return std::nullopt;
    out.push_back(*decoded);
  }
  return out;
}

// Tomcat: path parameters cut from each segment, then decoded (%2F refused by default, decoded
// with ALLOW_ENCODED_SLASH), then normalized.
std::optional<Segments> tomcat(std::string_view path, bool allow_encoded_slash) {
  std::string stripped;
  for (const std::string& s : of(path)) {
    stripped += "/" + s.substr(0, s.find(';'));
  }
  if (!allow_encoded_slash &&
      (stripped.find("%2F") != std::string::npos || stripped.find("%2f") != std::string::npos)) {
    return std::nullopt;
  }
  const auto decoded = unescape(stripped);
  if (!decoded) return std::nullopt;
  return merge_and_resolve(of(*decoded));
}

// Envoy (normalize_path, merge_slashes, escaped slashes kept): segments decoded one by one.
std::optional<Segments> envoy(std::string_view path) {
  Segments raw;
  for (const std::string& s : of(path)) raw.push_back(s);
  Segments decoded;
  for (const std::string& s : raw) {
    const auto d = unescape(s);
    if (!d) return std::nullopt;
    decoded.push_back(*d);
  }
  return merge_and_resolve(decoded);
}

void require(bool condition) {
  if (!condition) std::abort();
}

bool judged(const jk::launchspec::CanonicalTarget& t, const Segments& view) {
  for (const auto& r : t.readings) {
    if (r.segments == view) return true;
  }
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string target(reinterpret_cast<const char*>(data), size);  // NOLINT
  if (target.empty() || target[0] != '/') target.insert(0, "/");
  const auto canonical = jk::launchspec::canonicalize_target(target);
  if (!canonical.ok()) return 0;
  const std::string forwarded = canonical->target();
  const auto again = jk::launchspec::canonicalize_target(forwarded);
  require(again.ok() && again->target() == forwarded);
  require(canonical->readings.size() == 8);
  const std::string_view path = canonical->path;
  for (const auto& view :
       {nginx(path), go(path), node(path), tomcat(path, false), tomcat(path, true), envoy(path)}) {
    if (view) require(judged(*canonical, *view));
  }
  static const auto rules =
      jk::launchspec::parse_rules({"path=/api/*", "path=/a/*/c", "path=/x%2Fy/*", "path=/p;v=1/*"});
  // The forwarded bytes, judged again, get the same decision as the bytes received.
  require(jk::launchspec::first_match(*rules, {"GET", "h", target, 443}) ==
          jk::launchspec::first_match(*rules, {"GET", "h", forwarded, 443}));
  return 0;
}
