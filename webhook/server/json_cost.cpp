#include "webhook/server/json_cost.h"

#include <nlohmann/json.hpp>

namespace jk::server {
namespace {

constexpr std::uint64_t kValue = 16;     // sizeof(nlohmann::json)
constexpr std::uint64_t kMinChunk = 32;  // glibc malloc
constexpr std::uint64_t kChunkOverhead = 8;
constexpr std::uint64_t kChunkAlign = 16;
constexpr std::uint64_t kSso = 15;            // std::string keeps up to 15 chars inline
constexpr std::uint64_t kStringObject = 32;   // sizeof(std::string)
constexpr std::uint64_t kVectorObject = 24;   // sizeof(std::vector<json>)
constexpr std::uint64_t kMapObject = 48;      // sizeof(std::map<std::string, json>)
constexpr std::uint64_t kMapNodeHeader = 32;  // red-black tree node links + color
constexpr std::uint64_t kArrayGrowth = 3;     // old + doubled storage during a push_back
constexpr std::uint64_t kParserState = 4096;  // the parser's own stack and token buffer

std::uint64_t chunk(std::uint64_t bytes) {
  const std::uint64_t n = (bytes + kChunkOverhead + kChunkAlign - 1) / kChunkAlign * kChunkAlign;
  return n < kMinChunk ? kMinChunk : n;
}

std::uint64_t string_heap(std::uint64_t length) { return length > kSso ? chunk(length + 1) : 0; }

// Sums the costs; each value's 16 bytes live in its parent (array storage, map node) or the root.
class CostCounter final : public nlohmann::json_sax<nlohmann::json> {
 public:
  std::uint64_t total = kParserState + kValue;

  bool null() override { return element(); }
  bool boolean(bool /*v*/) override { return element(); }
  bool number_integer(number_integer_t /*v*/) override { return element(); }
  bool number_unsigned(number_unsigned_t /*v*/) override { return element(); }
  bool number_float(number_float_t /*v*/, const string_t& /*s*/) override { return element(); }
  bool string(string_t& s) override {
    total += chunk(kStringObject) + string_heap(s.size());
    return element();
  }
  bool binary(binary_t& /*v*/) override { return element(); }
  bool start_object(std::size_t /*n*/) override {
    total += chunk(kMapObject);
    return element();
  }
  bool key(string_t& k) override {
    // The member's tree node holds the key (std::string) and the value.
    total += chunk(kMapNodeHeader + kStringObject + kValue) + string_heap(k.size());
    in_object_member_ = true;
    return true;
  }
  bool end_object() override { return true; }
  bool start_array(std::size_t /*n*/) override {
    total += chunk(kVectorObject);
    return element();
  }
  bool end_array() override { return true; }
  bool parse_error(std::size_t /*pos*/, const std::string& /*token*/,
                   const nlohmann::detail::exception& /*e*/) override {
    return false;
  }

 private:
  // Array elements cost their slot in the (growing) array storage; object members were paid
  // for with their key, the root with `total`'s start value.
  bool element() {
    if (in_object_member_) {
      in_object_member_ = false;
    } else if (!root_) {
      total += kValue * kArrayGrowth;
    }
    root_ = false;
    return true;
  }
  bool root_ = true;
  bool in_object_member_ = false;
};

}  // namespace

std::uint64_t json_dom_bytes(std::string_view text) {
  CostCounter counter;
  if (!nlohmann::json::sax_parse(text, &counter, nlohmann::json::input_format_t::json, true)) {
    return 0;
  }
  return counter.total;
}

std::uint64_t decode_cost(std::string_view body) {
  if (body.size() <= kScanThreshold) return body.size() * kSmallBodyFactor;
  return json_dom_bytes(body);
}

}  // namespace jk::server
