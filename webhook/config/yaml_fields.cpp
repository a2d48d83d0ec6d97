#include "webhook/config/yaml_fields.h"

#include <algorithm>
#include <set>

#include "common/strings.h"
#include "webhook/config/duration.h"

namespace jk::config {

std::string location(const YAML::Node& node) {
  const YAML::Mark mark = node.Mark();
  if (mark.is_null()) return "";
  return " (line " + std::to_string(mark.line + 1) + ", column " + std::to_string(mark.column + 1) +
         ")";
}

std::string describe(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Scalar:
      return "got \"" + node.Scalar() + "\"";
    case YAML::NodeType::Sequence:
      return "got a list";
    case YAML::NodeType::Map:
      return "got a map";
    default:
      return "got nothing";
  }
}

Error field_error(const YAML::Node& node, std::string_view path, std::string_view what) {
  return make_error(std::string(path) + ": " + std::string(what) + location(node));
}

Error type_error(const YAML::Node& node, std::string_view path, std::string_view what) {
  return field_error(node, path, "expected " + std::string(what) + ", " + describe(node));
}

std::string child_path(std::string_view parent, std::string_view key) {
  if (parent.empty()) return std::string(key);
  return std::string(parent) + "." + std::string(key);
}

std::string item_path(std::string_view parent, std::size_t index) {
  return std::string(parent) + "[" + std::to_string(index) + "]";
}

namespace {

std::string key_list(std::initializer_list<Field> fields) {
  std::string out;
  for (const Field& f : fields) {
    if (!out.empty()) out += ", ";
    out += f.key;
  }
  return out;
}

}  // namespace

Status for_each_entry(const YAML::Node& node, std::string_view path,
                      const std::function<Status(const std::string& key, const YAML::Node& value,
                                                 const std::string& path)>& read) {
  if (node.IsNull()) return {};
  if (!node.IsMap()) return type_error(node, path, "a map");
  std::set<std::string, std::less<>> seen;
  for (const auto& entry : node) {
    if (!entry.first.IsScalar()) return type_error(entry.first, path, "a plain key");
    const std::string& key = entry.first.Scalar();
    const std::string here = child_path(path, key);
    if (!seen.insert(key).second) return field_error(entry.first, here, "duplicate key");
    JK_TRY_STATUS(read(key, entry.second, here));
  }
  return {};
}

Status read_map(const YAML::Node& node, std::string_view path,
                std::initializer_list<Field> fields) {
  return for_each_entry(
      node, path,
      [&](const std::string& key, const YAML::Node& value, const std::string& here) -> Status {
        const auto field = std::find_if(fields.begin(), fields.end(),
                                        [&](const Field& f) { return f.key == key; });
        if (field == fields.end()) {
          return field_error(value, here,
                             "unknown key (expected one of: " + key_list(fields) + ")");
        }
        return field->read(value, here);
      });
}

Status for_each_item(
    const YAML::Node& node, std::string_view path,
    const std::function<Status(const YAML::Node& item, const std::string& path)>& read) {
  if (!node.IsSequence()) return type_error(node, path, "a list");
  std::size_t index = 0;
  for (const auto& item : node) {
    JK_TRY_STATUS(read(item, item_path(path, index)));
    ++index;
  }
  return {};
}

Result<std::string> read_string(const YAML::Node& node, std::string_view path) {
  if (!node.IsScalar()) return type_error(node, path, "a string");
  return node.Scalar();
}

Result<std::string> read_name(const YAML::Node& node, std::string_view path) {
  JK_TRY(std::string s, read_string(node, path));
  if (s.empty()) return field_error(node, path, "expected a non-empty string");
  return s;
}

Result<bool> read_bool(const YAML::Node& node, std::string_view path) {
  if (node.IsScalar()) {
    const std::string& s = node.Scalar();
    if (s == "true" || s == "True" || s == "TRUE") return true;
    if (s == "false" || s == "False" || s == "FALSE") return false;
  }
  return type_error(node, path, "true or false");
}

Result<std::uint64_t> read_uint(const YAML::Node& node, std::string_view path, std::uint64_t min,
                                std::uint64_t max) {
  const std::string what = min == 0 ? "a non-negative integer" : "a positive integer";
  if (!node.IsScalar()) return type_error(node, path, what);
  const auto v = parse_u64(node.Scalar());
  if (!v || *v < min) return type_error(node, path, what);
  if (*v > max) {
    return field_error(node, path,
                       "expected at most " + std::to_string(max) + ", " + describe(node));
  }
  return *v;
}

Result<std::chrono::milliseconds> read_duration(const YAML::Node& node, std::string_view path,
                                                bool allow_zero) {
  const std::string what = "a duration like 250ms, 5s, 2m or 1h";
  if (!node.IsScalar()) return type_error(node, path, what);
  const auto d = parse_duration(node.Scalar());
  if (!d) return type_error(node, path, what);
  if (!allow_zero && d->count() == 0) return type_error(node, path, "a duration above zero");
  return *d;
}

Result<std::vector<std::string>> read_string_list(const YAML::Node& node, std::string_view path) {
  std::vector<std::string> out;
  JK_TRY_STATUS(
      for_each_item(node, path, [&](const YAML::Node& item, const std::string& here) -> Status {
        JK_TRY(std::string s, read_name(item, here));
        out.push_back(std::move(s));
        return {};
      }));
  return out;
}

Status read_into(const YAML::Node& node, const std::string& path, std::string& out) {
  JK_TRY(out, read_string(node, path));
  return {};
}

Status read_into(const YAML::Node& node, const std::string& path, bool& out) {
  JK_TRY(out, read_bool(node, path));
  return {};
}

Status read_into(const YAML::Node& node, const std::string& path, std::vector<std::string>& out) {
  JK_TRY(out, read_string_list(node, path));
  return {};
}

}  // namespace jk::config
