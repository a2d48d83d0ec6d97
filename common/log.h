#pragma once
// Structured logging: one JSON object per line on stderr (or a configured sink).
//   jk::log::info("listening", {{"addr", "127.0.0.1:8443"}});
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace jk::log {

enum class Level { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };

// A field value; strings are copied into the line, never retained.
using Value = std::variant<std::string_view, std::int64_t, double, bool>;
struct Field {
  std::string_view key;
  Value value;
  Field(std::string_view k, std::string_view v) : key(k), value(v) {}
  Field(std::string_view k, const char* v) : key(k), value(std::string_view(v)) {}
  Field(std::string_view k, const std::string& v) : key(k), value(std::string_view(v)) {}
  Field(std::string_view k, bool v) : key(k), value(v) {}
  Field(std::string_view k, double v) : key(k), value(v) {}
  template <typename I,
            typename = std::enable_if_t<std::is_integral_v<I> && !std::is_same_v<I, bool>>>
  Field(std::string_view k, I v) : key(k), value(static_cast<std::int64_t>(v)) {}
};
using Fields = std::initializer_list<Field>;

// Parses "debug|info|warn|error".
bool parse_level(std::string_view s, Level& out);
std::string_view level_name(Level level);

void set_level(Level level);
Level level();
// Replaces the sink (default: write(2) to stderr). Tests capture lines here.
void set_sink(std::function<void(std::string_view line)> sink);

void write(Level level, std::string_view msg, Fields fields);
// Writes a pre-rendered JSON object (must be one line) as-is; used for per-review records.
void write_raw(Level level, std::string_view json_line);
inline void debug(std::string_view msg, Fields f = {}) { write(Level::kDebug, msg, f); }
inline void info(std::string_view msg, Fields f = {}) { write(Level::kInfo, msg, f); }
inline void warn(std::string_view msg, Fields f = {}) { write(Level::kWarn, msg, f); }
inline void error(std::string_view msg, Fields f = {}) { write(Level::kError, msg, f); }

// Appends s to out as a JSON string literal (with quotes), escaping control characters.
void append_json_string(std::string& out, std::string_view s);

}  // namespace jk::log
