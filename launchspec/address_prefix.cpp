#include "launchspec/address_prefix.h"

#include <arpa/inet.h>
#include <sys/socket.h>

#include <algorithm>

#include "common/strings.h"

namespace jk::launchspec {
namespace {

constexpr int kBitsPerByte = 8;
constexpr int kV4Bits = 32;
constexpr int kV6Bits = 128;
constexpr std::size_t kMappedPrefix = 12;  // ::ffff: is the first twelve bytes
constexpr std::uint8_t kFull = 0xff;

int bits_of(int family) { return family == AF_INET ? kV4Bits : kV6Bits; }

void clear_host_bits(IpAddress& address, int length) {
  for (int bit = length; bit < kV6Bits; ++bit) {
    const auto byte = static_cast<std::size_t>(bit / kBitsPerByte);
    address.bytes[byte] &= static_cast<std::uint8_t>(~(0x80U >> (bit % kBitsPerByte)));  // NOLINT
  }
}

}  // namespace

Result<IpAddress> parse_ip(std::string_view text) {
  const std::string s(text);
  IpAddress out;
  if (inet_pton(AF_INET, s.c_str(), out.bytes.data()) == 1) {
    out.family = AF_INET;
    return out;
  }
  if (inet_pton(AF_INET6, s.c_str(), out.bytes.data()) == 1) {
    out.family = AF_INET6;
    return out;
  }
  return make_error("\"" + s + "\" is not an IPv4 or IPv6 address");
}

std::string to_string(const IpAddress& address) {
  std::array<char, INET6_ADDRSTRLEN> buffer{};
  if (inet_ntop(address.family, address.bytes.data(), buffer.data(), buffer.size()) == nullptr) {
    return "?";
  }
  return buffer.data();
}

IpAddress unmap(const IpAddress& address) {
  if (address.family != AF_INET6) return address;
  const bool mapped = std::all_of(address.bytes.begin(), address.bytes.begin() + 10,
                                  [](std::uint8_t b) { return b == 0; }) &&
                      address.bytes[10] == kFull && address.bytes[11] == kFull;  // NOLINT
  if (!mapped) return address;
  IpAddress v4;
  v4.family = AF_INET;
  std::copy_n(address.bytes.begin() + kMappedPrefix, 4, v4.bytes.begin());
  return v4;
}

Result<AddressPrefix> parse_prefix(std::string_view text) {
  const std::size_t slash = text.find('/');
  auto address = parse_ip(text.substr(0, slash));
  if (!address.ok())
    return make_error("address prefix " + std::string(text) + ": " + address.error().message);
  AddressPrefix out{*address, 0, std::string(text)};
  const int max = bits_of(out.address.family);
  out.length = max;
  if (slash != std::string_view::npos) {
    const auto length = parse_u64(text.substr(slash + 1));
    if (!length || *length > static_cast<std::uint64_t>(max)) {
      return make_error("address prefix " + std::string(text) + ": the length must be 0-" +
                        std::to_string(max));
    }
    out.length = static_cast<int>(*length);
  }
  // ::ffff:a.b.c.d/n with n >= 96 is the IPv4 prefix a.b.c.d/(n-96).
  constexpr int kMappedBits = 96;
  const IpAddress plain = unmap(out.address);
  if (plain.family == AF_INET && out.address.family == AF_INET6 && out.length >= kMappedBits) {
    out.address = plain;
    out.length -= kMappedBits;
  }
  clear_host_bits(out.address, out.length);
  return out;
}

bool contains(const AddressPrefix& prefix, const IpAddress& address) {
  IpAddress masked = unmap(address);
  if (masked.family != prefix.address.family) return false;
  clear_host_bits(masked, prefix.length);
  return masked.bytes == prefix.address.bytes;
}

}  // namespace jk::launchspec
