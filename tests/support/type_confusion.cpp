#include "tests/support/type_confusion.h"

#include <limits>

namespace jk::testing {
namespace {

using nlohmann::ordered_json;
using Pointer = ordered_json::json_pointer;

void collect(const ordered_json& value, const Pointer& where, std::vector<Pointer>& out) {
  out.push_back(where);
  if (value.is_object()) {
    for (const auto& [key, child] : value.items()) collect(child, where / key, out);
  } else if (value.is_array()) {
    for (std::size_t i = 0; i < value.size(); ++i) collect(value[i], where / i, out);
  }
}

}  // namespace

const std::vector<ordered_json>& confused_values() {
  static const std::vector<ordered_json> kValues = {
      nullptr,
      true,
      false,
      0,
      -1,
      5,
      1.5,
      1e300,
      std::numeric_limits<std::uint64_t>::max(),
      "",
      "x",
      "410",
      ordered_json::array(),
      ordered_json::array({1}),
      ordered_json::object(),
      ordered_json{{"a", 1}},
      ordered_json{{"kind", 5}},
  };
  return kValues;
}

std::size_t confusion_stride() {
#if defined(__SANITIZE_ADDRESS__)
  return 4;
#else
  return 1;
#endif
}

std::size_t for_each_confusion(
    const ordered_json& doc,
    const std::function<void(const ordered_json& mutated, const std::string& where)>& visit) {
  std::vector<Pointer> positions;
  collect(doc, Pointer{}, positions);
  std::size_t visited = 0;
  const std::size_t stride = confusion_stride();
  for (std::size_t p = 0; p < positions.size(); ++p) {
    const Pointer& at = positions[p];
    const auto& values = confused_values();
    for (std::size_t v = 0; v < values.size(); ++v) {
      const ordered_json& replacement = values[v];
      if ((p + v) % stride != 0) continue;
      if (doc.at(at) == replacement) continue;
      ordered_json mutated = doc;
      mutated.at(at) = replacement;  // at("") is the root itself
      visit(mutated, at.to_string() + " -> " + replacement.dump());
      ++visited;
    }
  }
  return visited;
}

}  // namespace jk::testing
