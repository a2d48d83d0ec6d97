#pragma once
// An IP address prefix ("127.0.0.0/8", "fd00:ec2::/64", "10.0.0.5" = /32), used by the opt-in
// that lets the proxy connect to internal upstream addresses (--allow-internal, the launch
// spec's `allowInternal`). Pure; in launchspec because both binaries validate it.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace jk::launchspec {

struct IpAddress {
  int family = 0;                        // AF_INET or AF_INET6
  std::array<std::uint8_t, 16> bytes{};  // IPv4 in the first four
  bool operator==(const IpAddress&) const = default;
};

struct AddressPrefix {
  IpAddress address;  // host bits cleared
  int length = 0;     // 0-32 or 0-128
  std::string text;   // as written
};

// "1.2.3.4", "1.2.3.0/24", "::1", "fe80::/10". Errors name the text and what is wrong.
Result<AddressPrefix> parse_prefix(std::string_view text);
// A numeric address (no brackets, no port, no zone).
Result<IpAddress> parse_ip(std::string_view text);
std::string to_string(const IpAddress& address);
// IPv4-mapped IPv6 (::ffff:a.b.c.d) as the IPv4 address; anything else unchanged.
IpAddress unmap(const IpAddress& address);
// The same family and the first `length` bits equal (after unmapping both).
bool contains(const AddressPrefix& prefix, const IpAddress& address);

}  // namespace jk::launchspec
