#pragma once
// RFC 6901 pointers and an RFC 6902 operation list built one minimal operation at a time,
// written as JSON Patch text as it goes (no document per operation).
#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <type_traits>

#include "common/json_writer.h"

namespace jk::inject {

// Escapes one reference token: "~" -> "~0", "/" -> "~1".
std::string escape_token(std::string_view token);

// A JSON Pointer given in pieces that are written one after the other ("/spec/containers/0" +
// "/env" + "/-"), so an operation's path needs no string of its own. Each piece is already
// escaped (escape_token).
class Pointer {
 public:
  // Implicit, so that a path in one piece is written as a plain string.
  Pointer(const char* path) : parts_{path} {}
  Pointer(std::string_view path) : parts_{path} {}
  Pointer(const std::string& path) : parts_{std::string_view(path)} {}
  Pointer(std::string_view a, std::string_view b, std::string_view c = {}) : parts_{a, b, c} {}
  [[nodiscard]] const std::array<std::string_view, 3>& parts() const { return parts_; }

 private:
  std::array<std::string_view, 3> parts_;
};

// The operations as JSON Patch text: [{"op":"add","path":"/a","value":1},...]. A value is a
// string, or a function that writes it: [](JsonWriter& w) { w.begin_object()...end_object(); }.
class PatchOps {
 public:
  // The text starts in a buffer of this thread's store (common/buffer_pool.h): the review
  // handler gives the patch back once it has encoded the answer.
  PatchOps();
  template <class Value>
  void add(const Pointer& path, const Value& value) {
    write("add", path, value);
  }
  template <class Value>
  void replace(const Pointer& path, const Value& value) {
    write("replace", path, value);
  }
  [[nodiscard]] bool empty() const { return count_ == 0; }
  [[nodiscard]] std::size_t size() const { return count_; }
  // The JSON Patch text, "[]" when there is no operation.
  [[nodiscard]] std::string text() const { return text_ + "]"; }
  // The same, moved out; the list is left unusable.
  [[nodiscard]] std::string take() {
    text_ += ']';
    return std::move(text_);
  }

 private:
  template <class Value>
  void write(std::string_view op, const Pointer& path, const Value& value) {
    JsonWriter w = begin(op, path);
    if constexpr (std::is_invocable_v<const Value&, JsonWriter&>) {
      value(w);
    } else {
      w.string(value);
    }
    w.end_object();
    ++count_;
  }
  // Writes {"op":op,"path":path,"value": and returns the writer for the value.
  JsonWriter begin(std::string_view op, const Pointer& path);

  std::string text_;  // "[" and the operations written so far
  std::size_t count_ = 0;
};

}  // namespace jk::inject
