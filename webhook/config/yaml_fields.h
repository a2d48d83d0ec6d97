#pragma once
// Path-aware readers over yaml-cpp nodes (private to webhook/config). Every error names the
// field path and, when yaml-cpp knows it, the line and column:
//   server.maxBodyBytes: expected a positive integer, got "lots" (line 3, column 17)
// Nothing here throws; yaml-cpp is only asked non-throwing questions (type, scalar, mark).
#include <yaml-cpp/yaml.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace jk::config {

// " (line L, column C)", 1-based; empty when yaml-cpp has no mark for the node.
std::string location(const YAML::Node& node);
// `got "lots"`, `got a list`, `got a map`, `got nothing`.
std::string describe(const YAML::Node& node);
Error field_error(const YAML::Node& node, std::string_view path, std::string_view what);
// "expected <what>, got <describe(node)>" at path.
Error type_error(const YAML::Node& node, std::string_view path, std::string_view what);

std::string child_path(std::string_view parent, std::string_view key);
std::string item_path(std::string_view parent, std::size_t index);

using FieldReader = std::function<Status(const YAML::Node& value, const std::string& path)>;
struct Field {
  std::string_view key;
  FieldReader read;
};
// Reads a map whose keys must all be listed in fields (unknown and duplicate keys are errors).
// A null node (an empty section) reads as an empty map.
Status read_map(const YAML::Node& node, std::string_view path, std::initializer_list<Field> fields);
// Calls read for each key/value of a map with arbitrary keys (e.g. policy names).
Status for_each_entry(const YAML::Node& node, std::string_view path,
                      const std::function<Status(const std::string& key, const YAML::Node& value,
                                                 const std::string& path)>& read);
// Calls read for each item of a list.
Status for_each_item(
    const YAML::Node& node, std::string_view path,
    const std::function<Status(const YAML::Node& item, const std::string& path)>& read);

Result<std::string> read_string(const YAML::Node& node, std::string_view path);
// A string that may not be empty.
Result<std::string> read_name(const YAML::Node& node, std::string_view path);
Result<bool> read_bool(const YAML::Node& node, std::string_view path);
// A whole number in [min, max].
Result<std::uint64_t> read_uint(const YAML::Node& node, std::string_view path, std::uint64_t min,
                                std::uint64_t max);
Result<std::chrono::milliseconds> read_duration(const YAML::Node& node, std::string_view path,
                                                bool allow_zero);
Result<std::vector<std::string>> read_string_list(const YAML::Node& node, std::string_view path);

// Typed convenience wrappers that store into a field.
template <typename T>
Status read_into_uint(const YAML::Node& node, const std::string& path, T& out, std::uint64_t min) {
  JK_TRY(const std::uint64_t v, read_uint(node, path, min, std::numeric_limits<T>::max()));
  out = static_cast<T>(v);
  return {};
}
Status read_into(const YAML::Node& node, const std::string& path, std::string& out);
Status read_into(const YAML::Node& node, const std::string& path, bool& out);
Status read_into(const YAML::Node& node, const std::string& path, std::vector<std::string>& out);

// Reads one of a fixed set of names, e.g. {{"union", kUnion}, {"deny", kDeny}}.
template <typename E>
Status read_choice(const YAML::Node& node, const std::string& path,
                   std::initializer_list<std::pair<std::string_view, E>> choices, E& out) {
  JK_TRY(const std::string s, read_string(node, path));
  std::string names;
  for (const auto& [name, value] : choices) {
    if (s == name) {
      out = value;
      return {};
    }
    names += names.empty() ? "" : ", ";
    names += name;
  }
  return type_error(node, path, "one of " + names);
}

}  // namespace jk::config
