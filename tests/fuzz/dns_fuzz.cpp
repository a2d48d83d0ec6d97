// libFuzzer target: the DNS stub's answer() on arbitrary bytes (what a jailed agent can send).
// Never crashes; every response echoes the ID and has QR set; a NOERROR response with its QR bit
// cleared is itself a query whose answer is the same response (fixed point: the question is
// echoed exactly and nothing after it is read).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <vector>

#include "launcher/net/dns_answer.h"

namespace {

constexpr std::size_t kHeaderSize = 12;
constexpr std::uint8_t kQrBit = 0x80;
constexpr std::uint8_t kRcodeMask = 0x0f;

void check(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto response = jk::launcher::net::answer(std::span<const std::uint8_t>(data, size));
  if (!response.ok()) return 0;
  const std::vector<std::uint8_t>& bytes = *response;
  check(bytes.size() >= kHeaderSize);
  check(bytes[0] == data[0] && bytes[1] == data[1]);
  check((bytes[2] & kQrBit) != 0);
  if ((bytes[3] & kRcodeMask) != 0) {
    check(bytes.size() == kHeaderSize);
    return 0;
  }
  std::vector<std::uint8_t> as_query = bytes;
  as_query[2] = static_cast<std::uint8_t>(as_query[2] & ~kQrBit);
  const auto again = jk::launcher::net::answer(as_query);
  check(again.ok() && *again == bytes);
  return 0;
}
