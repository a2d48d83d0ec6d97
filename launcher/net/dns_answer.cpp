#include "launcher/net/dns_answer.h"

#include <array>
#include <optional>

namespace jk::launcher::net {
namespace {

constexpr std::size_t kHeaderSize = 12;
constexpr std::size_t kMaxNameLength = 255;
constexpr std::size_t kMaxLabelLength = 63;
constexpr std::size_t kMaxPointerJumps = 16;
constexpr std::uint8_t kPointerTag = 0xC0;
constexpr std::uint16_t kFlagResponse = 0x8000;
constexpr std::uint16_t kFlagAuthoritative = 0x0400;
constexpr std::uint16_t kFlagRecursionDesired = 0x0100;
constexpr std::uint16_t kFlagRecursionAvailable = 0x0080;
constexpr std::uint16_t kOpcodeMask = 0x7800;
constexpr std::uint16_t kRcodeFormErr = 1;
constexpr std::uint16_t kRcodeNotImp = 4;
constexpr std::uint16_t kTypeA = 1;
constexpr std::uint16_t kTypeAaaa = 28;
constexpr std::uint16_t kClassIn = 1;
constexpr std::uint16_t kPointerToQuestion = 0xC000 | kHeaderSize;
constexpr std::array<std::uint8_t, 4> kPlaceholderA = {6, 6, 6, 6};
constexpr std::array<std::uint8_t, 16> kPlaceholderAaaa = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0,
                                                           0,    0,    0,    0,    0, 0, 0, 1};

std::uint16_t read_u16(std::span<const std::uint8_t> bytes, std::size_t at) {
  return static_cast<std::uint16_t>((bytes[at] << 8) | bytes[at + 1]);
}

void write_u16(std::vector<std::uint8_t>& out, std::uint16_t value) {
  out.push_back(static_cast<std::uint8_t>(value >> 8));
  out.push_back(static_cast<std::uint8_t>(value & 0xff));
}

void write_u32(std::vector<std::uint8_t>& out, std::uint32_t value) {
  write_u16(out, static_cast<std::uint16_t>(value >> 16));
  write_u16(out, static_cast<std::uint16_t>(value & 0xffff));
}

struct Question {
  std::vector<std::uint8_t> name;  // uncompressed wire form, ending with the root label
  std::uint16_t type = 0;
  std::uint16_t klass = 0;
};

// Reads the name at `at`; compression pointers may only point backwards, a bounded number of
// times. On success `end` is the offset right after the name in the original position.
std::optional<std::vector<std::uint8_t>> read_name(std::span<const std::uint8_t> message,
                                                   std::size_t at, std::size_t& end) {
  std::vector<std::uint8_t> name;
  std::size_t jumps = 0;
  std::optional<std::size_t> after_first_pointer;
  while (at < message.size()) {
    const std::uint8_t length = message[at];
    if ((length & kPointerTag) == kPointerTag) {
      if (at + 1 >= message.size() || ++jumps > kMaxPointerJumps) return std::nullopt;
      const std::size_t target = read_u16(message, at) & 0x3FFFu;
      if (target >= at) return std::nullopt;
      if (!after_first_pointer) after_first_pointer = at + 2;
      at = target;
      continue;
    }
    if (length > kMaxLabelLength) return std::nullopt;  // 0x40/0x80: reserved label types
    if (at + 1 + length > message.size()) return std::nullopt;
    name.insert(name.end(), message.begin() + static_cast<std::ptrdiff_t>(at),
                message.begin() + static_cast<std::ptrdiff_t>(at + 1 + length));
    if (name.size() > kMaxNameLength) return std::nullopt;
    at += 1 + length;
    if (length == 0) {
      end = after_first_pointer.value_or(at);
      return name;
    }
  }
  return std::nullopt;
}

std::optional<Question> read_question(std::span<const std::uint8_t> query) {
  if (read_u16(query, 4) != 1) return std::nullopt;  // QDCOUNT
  std::size_t end = 0;
  auto name = read_name(query, kHeaderSize, end);
  if (!name || end + 4 > query.size()) return std::nullopt;
  return Question{std::move(*name), read_u16(query, end), read_u16(query, end + 2)};
}

std::vector<std::uint8_t> header(std::span<const std::uint8_t> query, std::uint16_t rcode,
                                 std::uint16_t questions, std::uint16_t answers) {
  std::vector<std::uint8_t> out;
  out.insert(out.end(), query.begin(), query.begin() + 2);  // ID
  const std::uint16_t flags = read_u16(query, 2);
  write_u16(out, static_cast<std::uint16_t>(kFlagResponse | (flags & kOpcodeMask) |
                                            kFlagAuthoritative | (flags & kFlagRecursionDesired) |
                                            kFlagRecursionAvailable | rcode));
  write_u16(out, questions);
  write_u16(out, answers);
  write_u16(out, 0);  // NSCOUNT
  write_u16(out, 0);  // ARCOUNT
  return out;
}

std::span<const std::uint8_t> placeholder_for(const Question& question) {
  if (question.klass != kClassIn) return {};
  if (question.type == kTypeA) return kPlaceholderA;
  if (question.type == kTypeAaaa) return kPlaceholderAaaa;
  return {};
}

}  // namespace

Result<std::vector<std::uint8_t>> answer(std::span<const std::uint8_t> query) {
  if (query.size() < kHeaderSize) return make_error("dns: query shorter than a header");
  if ((read_u16(query, 2) & kFlagResponse) != 0) return make_error("dns: not a query (QR set)");
  if ((read_u16(query, 2) & kOpcodeMask) != 0) return header(query, kRcodeNotImp, 0, 0);
  const std::optional<Question> question = read_question(query);
  if (!question) return header(query, kRcodeFormErr, 0, 0);
  const std::span<const std::uint8_t> address = placeholder_for(*question);
  std::vector<std::uint8_t> out = header(query, 0, 1, address.empty() ? 0 : 1);
  out.insert(out.end(), question->name.begin(), question->name.end());
  write_u16(out, question->type);
  write_u16(out, question->klass);
  if (address.empty()) return out;
  write_u16(out, kPointerToQuestion);
  write_u16(out, question->type);
  write_u16(out, kClassIn);
  write_u32(out, kPlaceholderTtlSeconds);
  write_u16(out, static_cast<std::uint16_t>(address.size()));
  out.insert(out.end(), address.begin(), address.end());
  return out;
}

}  // namespace jk::launcher::net
