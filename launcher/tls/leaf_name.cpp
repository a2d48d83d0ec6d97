#include "launcher/tls/leaf_name.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>

namespace jk::launcher::tls {

namespace {

constexpr std::size_t kMaxNameLength = 253;
constexpr std::size_t kMaxLabelLength = 63;

bool is_label_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

// Printable for an error message: the name is attacker-controlled.
std::string quoted(std::string_view name) {
  constexpr std::size_t kShown = 64;
  std::string out = "\"";
  for (const char c : name.substr(0, kShown)) {
    const auto u = static_cast<unsigned char>(c);
    out += (std::isprint(u) != 0 && c != '"' && c != '\\') ? c : '?';
  }
  return out + (name.size() > kShown ? "...\"" : "\"");
}

std::optional<std::string> canonical_ip(std::string_view text) {
  if (text.size() >= 2 && text.front() == '[' && text.back() == ']') {
    text = text.substr(1, text.size() - 2);
  }
  const std::string s(text);
  std::array<unsigned char, sizeof(in6_addr)> addr{};
  std::array<char, INET6_ADDRSTRLEN> out{};
  for (const int family : {AF_INET, AF_INET6}) {
    if (::inet_pton(family, s.c_str(), addr.data()) == 1 &&
        ::inet_ntop(family, addr.data(), out.data(), out.size()) != nullptr) {
      return std::string(out.data());
    }
  }
  return std::nullopt;
}

Status check_label(std::string_view label, std::string_view name) {
  if (label.empty()) return make_error("invalid TLS name " + quoted(name) + ": empty label");
  if (label.size() > kMaxLabelLength) {
    return make_error("invalid TLS name " + quoted(name) + ": label longer than 63 characters");
  }
  if (label.front() == '-' || label.back() == '-') {
    return make_error("invalid TLS name " + quoted(name) + ": label starts or ends with '-'");
  }
  for (const char c : label) {
    if (!is_label_char(c)) {
      return make_error("invalid TLS name " + quoted(name) + ": character not allowed in a host");
    }
  }
  return {};
}

Result<std::string> canonical_dns_name(std::string_view name) {
  std::string lower;
  lower.reserve(name.size());
  for (const char c : name) {
    lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  if (!lower.empty() && lower.back() == '.') lower.pop_back();
  if (lower.empty()) return make_error("invalid TLS name: empty");
  if (lower.size() > kMaxNameLength) {
    return make_error("invalid TLS name " + quoted(name) + ": longer than 253 characters");
  }
  std::size_t start = 0;
  while (start <= lower.size()) {
    const std::size_t dot = std::min(lower.find('.', start), lower.size());
    JK_TRY_STATUS(check_label(std::string_view(lower).substr(start, dot - start), name));
    start = dot + 1;
  }
  return lower;
}

}  // namespace

Result<LeafName> parse_leaf_name(std::string_view name) {
  if (auto ip = canonical_ip(name)) return LeafName{std::move(*ip), true};
  JK_TRY(std::string dns, canonical_dns_name(name));
  // "10.0.0.1." is the address, not a DNS name: one canonical form per certificate identity.
  if (auto ip = canonical_ip(dns)) return LeafName{std::move(*ip), true};
  return LeafName{std::move(dns), false};
}

}  // namespace jk::launcher::tls
