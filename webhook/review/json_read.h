#pragma once
// Read-only navigation of untrusted Boost.JSON values without exceptions: a missing key, or a
// lookup on a value that is not an object, yields a shared null.
#include <cstddef>
#include <string>
#include <string_view>

#include <boost/json/value.hpp>

namespace jk::review {

const boost::json::value& json_at(const boost::json::value& v, std::string_view key);

inline std::string_view text_of(const boost::json::string& s) { return {s.data(), s.size()}; }

// The value's string, or "" when it is not a string.
std::string_view string_or_empty(const boost::json::value& v);

// Where a value sits in the review, for error messages ("spec.containers[2].securityContext"):
// built on the stack as decoding descends and turned into text only when an error is reported,
// so decoding a valid review builds no path strings (it built one per field read). A JsonPath
// refers to its parent and to the text it was given: pass it down, never keep it.
class JsonPath {
 public:
  explicit JsonPath(std::string_view root) : text_(root) {}
  // `field` may itself be dotted ("capabilities.add"). Only on a named path: the child refers
  // to its parent, so `p.field("a").index(0)` would outlive its middle link (it does not compile).
  [[nodiscard]] JsonPath field(std::string_view field) const& { return {this, field, kNoIndex}; }
  [[nodiscard]] JsonPath index(std::size_t i) const& { return {this, {}, i}; }
  JsonPath field(std::string_view) const&& = delete;
  JsonPath index(std::size_t) const&& = delete;
  [[nodiscard]] std::string str() const;

 private:
  static constexpr std::size_t kNoIndex = static_cast<std::size_t>(-1);
  JsonPath(const JsonPath* parent, std::string_view text, std::size_t index)
      : parent_(parent), text_(text), index_(index) {}
  void append_to(std::string& out) const;

  const JsonPath* parent_ = nullptr;
  std::string_view text_;
  std::size_t index_ = kNoIndex;
};

// The path's text followed by `suffix`: `make_error(path + ": expected a string")`.
inline std::string operator+(const JsonPath& path, std::string_view suffix) {
  std::string out = path.str();
  out.append(suffix);
  return out;
}

}  // namespace jk::review
