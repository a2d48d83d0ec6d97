#pragma once
// JSON text written straight into a caller's string, without a document: the AdmissionReview
// answer, the JSON Patch and the status record it carries. Compact, as nlohmann's dump() writes
// it (no whitespace; valid UTF-8 passes as is, '/' and U+2028 unescaped, control characters as
// \n or \u00XX), so text written here is byte-identical to a dumped document. Always valid
// JSON: invalid UTF-8 is replaced by U+FFFD.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace jk {

// A JSON string literal of `s`, appended to `out`.
void append_json_string(std::string& out, std::string_view s);
// The same without the quotes: `s` escaped as inside a string literal.
void append_json_escaped(std::string& out, std::string_view s);

// Writes values, members and brackets, placing the commas: begin_object().key("a").string("x")
// .key("b").begin_array().boolean(true).end_array().end_object() is {"a":"x","b":[true]}. The
// caller writes a well-formed sequence (a key before each member's value); nothing is checked.
class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}

  JsonWriter& begin_object() { return open('{'); }
  JsonWriter& end_object() { return close('}'); }
  JsonWriter& begin_array() { return open('['); }
  JsonWriter& end_array() { return close(']'); }
  JsonWriter& key(std::string_view name);
  JsonWriter& string(std::string_view value);
  // One string value written from pieces, as if they were concatenated.
  JsonWriter& string_pieces(std::span<const std::string_view> pieces);
  JsonWriter& boolean(bool value);
  JsonWriter& number(std::int64_t value);
  // An array of strings.
  template <class Strings>
  JsonWriter& strings(const Strings& values) {
    begin_array();
    for (const auto& v : values) string(v);
    return end_array();
  }

 private:
  JsonWriter& open(char bracket);
  JsonWriter& close(char bracket);
  void separate();  // a ',' when this value follows another in the same object or array

  std::string& out_;
  bool after_value_ = false;
};

}  // namespace jk
