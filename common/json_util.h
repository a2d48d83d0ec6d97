#pragma once
// Read-only navigation of untrusted JSON without exceptions: a missing key, or a lookup on a
// value that is not an object, yields a shared null.
#include <string_view>

#include <nlohmann/json.hpp>

namespace jk {

inline const nlohmann::json& json_at(const nlohmann::json& obj, std::string_view key) {
  static const nlohmann::json kNull;
  if (!obj.is_object()) return kNull;
  const auto it = obj.find(key);
  return it == obj.end() ? kNull : *it;
}

}  // namespace jk
