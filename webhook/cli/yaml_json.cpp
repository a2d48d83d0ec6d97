#include "webhook/cli/yaml_json.h"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <functional>
#include <sstream>
#include <unordered_set>

namespace jk::cli {
namespace {

using nlohmann::ordered_json;

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";
constexpr std::string_view kDocumentSeparator = "---";
constexpr std::string_view kDocumentEndMarker = "...";
constexpr std::string_view kStrTag = "tag:yaml.org,2002:str";
constexpr std::string_view kNonPlainTag = "!";  // yaml-cpp's tag for quoted/block scalars

// ---------------------------------------------------------------------------------------------
// Positions and errors

struct Position {
  int document = 0;     // 1-based
  int line_offset = 0;  // 0-based line of the document's first line in the whole stream
};

Error error_at(const Position& pos, const YAML::Mark& mark, std::string_view message) {
  std::string where = "document " + std::to_string(pos.document);
  if (!mark.is_null()) {
    where += ", line " + std::to_string(pos.line_offset + mark.line + 1) + ", column " +
             std::to_string(mark.column + 1);
  }
  return make_error(where + ": " + std::string(message));
}

// ---------------------------------------------------------------------------------------------
// YAML 1.2 core schema scalar resolution (https://yaml.org/spec/1.2.2/#1032-tag-resolution)

bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::string_view strip_sign(std::string_view s) {
  return (!s.empty() && (s[0] == '+' || s[0] == '-')) ? s.substr(1) : s;
}

bool all_digits(std::string_view s, std::string_view alphabet) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [&](char c) {
    return alphabet.find(c) != std::string_view::npos;
  });
}

constexpr std::string_view kDecimal = "0123456789";
constexpr std::string_view kOctal = "01234567";
constexpr std::string_view kHex = "0123456789abcdefABCDEF";

bool is_core_bool(std::string_view s) {
  return s == "true" || s == "True" || s == "TRUE" || s == "false" || s == "False" || s == "FALSE";
}

bool is_core_null(std::string_view s) {
  return s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL";
}

bool is_special_float(std::string_view s) {
  const std::string_view u = strip_sign(s);
  const bool inf = u == ".inf" || u == ".Inf" || u == ".INF";
  const bool nan = s == ".nan" || s == ".NaN" || s == ".NAN";
  return inf || nan;
}

std::size_t count_digits(std::string_view s, std::size_t from) {
  std::size_t i = from;
  while (i < s.size() && is_digit(s[i])) ++i;
  return i - from;
}

// [-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?
bool is_core_float(std::string_view s) {
  const std::string_view u = strip_sign(s);
  std::size_t i = count_digits(u, 0);
  const std::size_t whole = i;
  std::size_t fraction = 0;
  if (i < u.size() && u[i] == '.') {
    fraction = count_digits(u, i + 1);
    i += 1 + fraction;
  }
  if (whole == 0 && fraction == 0) return false;
  if (i < u.size() && (u[i] == 'e' || u[i] == 'E')) {
    const std::string_view exponent = strip_sign(u.substr(i + 1));
    return all_digits(exponent, kDecimal);
  }
  return i == u.size();
}

template <typename T>
std::optional<T> parse_number(std::string_view s, int base) {
  T value{};
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value, base);
  if (ec != std::errc{} || end != s.data() + s.size()) return std::nullopt;
  return value;
}

std::optional<ordered_json> decimal_integer(std::string_view s) {
  const std::string_view digits = s[0] == '+' ? s.substr(1) : s;
  if (auto v = parse_number<std::int64_t>(digits, 10)) return ordered_json(*v);
  if (auto v = parse_number<std::uint64_t>(digits, 10)) return ordered_json(*v);
  return std::nullopt;  // out of range: read as a float, as nlohmann does for JSON
}

std::optional<ordered_json> integer(std::string_view s) {
  if (all_digits(strip_sign(s), kDecimal)) return decimal_integer(s);
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'o' || s[1] == 'x')) {
    const bool octal = s[1] == 'o';
    const std::string_view digits = s.substr(2);
    if (!all_digits(digits, octal ? kOctal : kHex)) return std::nullopt;
    if (auto v = parse_number<std::uint64_t>(digits, octal ? 8 : 16)) return ordered_json(*v);
  }
  return std::nullopt;
}

std::optional<ordered_json> floating(std::string_view s) {
  if (!is_core_float(s)) return std::nullopt;
  double value = 0;
  const std::string_view text = s[0] == '+' ? s.substr(1) : s;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || !std::isfinite(value)) {
    return std::nullopt;
  }
  return ordered_json(value);
}

// A plain scalar's JSON value; nullopt when it cannot be represented (.inf, .nan, 1e999).
std::optional<ordered_json> resolve_plain(const std::string& s) {
  if (is_core_null(s)) return ordered_json(nullptr);
  if (is_core_bool(s)) return ordered_json(s[0] == 't' || s[0] == 'T');
  if (is_special_float(s)) return std::nullopt;
  if (auto v = integer(s)) return v;
  if (is_core_float(s)) return floating(s);
  return ordered_json(s);
}

// ---------------------------------------------------------------------------------------------
// YAML node -> JSON

class NodeConverter {
 public:
  explicit NodeConverter(Position pos) : pos_(pos) {}

  Result<ordered_json> convert(const YAML::Node& node, int depth) {
    if (depth > kMaxDocumentDepth) return fail(node, "nesting deeper than the limit");
    if (++nodes_ > kMaxDocumentNodes) return fail(node, "too many nodes (alias expansion?)");
    switch (node.Type()) {
      case YAML::NodeType::Map:
        return convert_map(node, depth);
      case YAML::NodeType::Sequence:
        return convert_sequence(node, depth);
      case YAML::NodeType::Scalar:
        return convert_scalar(node);
      default:
        return ordered_json(nullptr);
    }
  }

 private:
  Error fail(const YAML::Node& node, std::string_view message) const {
    return error_at(pos_, node.Mark(), message);
  }

  Result<ordered_json> convert_scalar(const YAML::Node& node) const {
    const std::string& text = node.Scalar();
    if (node.Tag() == kNonPlainTag || node.Tag() == kStrTag) return ordered_json(text);
    auto value = resolve_plain(text);
    if (!value) return fail(node, "number \"" + text + "\" cannot be represented in JSON");
    return std::move(*value);
  }

  Result<ordered_json> convert_sequence(const YAML::Node& node, int depth) {
    ordered_json out = ordered_json::array();
    for (const YAML::Node& item : node) {
      JK_TRY(ordered_json value, convert(item, depth + 1));
      out.push_back(std::move(value));
    }
    return out;
  }

  Result<ordered_json> convert_map(const YAML::Node& node, int depth) {
    ordered_json out = ordered_json::object();
    for (const auto& entry : node) {
      if (!entry.first.IsScalar()) return fail(entry.first, "mapping key is not a scalar");
      const std::string& key = entry.first.Scalar();
      if (out.contains(key)) return fail(entry.first, "duplicate key \"" + key + "\"");
      JK_TRY(ordered_json value, convert(entry.second, depth + 1));
      out[key] = std::move(value);
    }
    return out;
  }

  Position pos_;
  std::size_t nodes_ = 0;
};

// ---------------------------------------------------------------------------------------------
// Splitting a YAML stream into documents ourselves, so that yaml-cpp only ever parses one
// document (YAML::Load): yaml-cpp 0.7's LoadAll loops forever, allocating, on inputs such as
// `"",` (jbeder/yaml-cpp#1040, fixed upstream in 0.8.1 by PR #1319). Per the YAML spec a line
// that starts with `---` or `...` followed by a space or the end of the line is a document
// marker wherever it appears, so the split is exact; kubectl's YAMLReader splits the same way.

struct Chunk {
  std::string_view text;
  int first_line = 0;
};

enum class LineKind { kContent, kIgnorable, kDocumentStart, kDocumentEnd };

bool is_marker(std::string_view line, std::string_view marker) {
  return line.substr(0, marker.size()) == marker &&
         (line.size() == marker.size() || line[marker.size()] == ' ' ||
          line[marker.size()] == '\t' || line[marker.size()] == '\r');
}

LineKind classify_line(std::string_view line) {
  if (is_marker(line, kDocumentSeparator)) return LineKind::kDocumentStart;
  if (is_marker(line, kDocumentEndMarker)) return LineKind::kDocumentEnd;
  const std::size_t first = line.find_first_not_of(" \t\r");
  const bool ignorable = first == std::string_view::npos || line[first] == '#' || line[0] == '%';
  return ignorable ? LineKind::kIgnorable : LineKind::kContent;
}

class Splitter {
 public:
  explicit Splitter(std::string_view text) : text_(text) {}

  std::vector<Chunk> split() {
    int line_no = 0;
    for (std::size_t pos = 0; pos < text_.size(); ++line_no) {
      const std::size_t eol = std::min(text_.find('\n', pos), text_.size());
      const LineKind kind = classify_line(text_.substr(pos, eol - pos));
      if (kind == LineKind::kDocumentStart) {
        // Comments and directives before the first `---` belong to its document.
        if (has_document_) cut(pos, line_no);
        has_document_ = true;
      } else if (kind == LineKind::kDocumentEnd) {
        cut(std::min(eol + 1, text_.size()), line_no + 1);
      } else if (kind == LineKind::kContent) {
        has_document_ = true;
      }
      pos = eol + 1;
    }
    cut(text_.size(), line_no);
    return std::move(chunks_);
  }

 private:
  void cut(std::size_t end, int next_line) {
    const std::string_view chunk = text_.substr(start_, end - start_);
    if (chunk.find_first_not_of(" \t\r\n") != std::string_view::npos) {
      chunks_.push_back({chunk, first_line_});
    }
    start_ = end;
    first_line_ = next_line;
    has_document_ = false;
  }

  std::string_view text_;
  std::vector<Chunk> chunks_;
  std::size_t start_ = 0;
  int first_line_ = 0;
  bool has_document_ = false;
};

// True when valid UTF-8 `text` holds one of Unicode's 66 noncharacters: U+FDD0..U+FDEF and
// every code point ending in FFFE or FFFF (U+FFFE, U+1FFFF, ..., U+10FFFF). yaml-cpp's emitter
// writes U+FFFD for each, so such a string cannot round-trip.
bool has_noncharacter(std::string_view text) {
  constexpr unsigned kContinuationBits = 6;
  constexpr unsigned kContinuationMask = 0x3F;
  constexpr std::uint32_t kNoncharacterBits = 0xFFFE;
  for (std::size_t i = 0; i < text.size();) {
    const auto lead = static_cast<unsigned char>(text[i]);
    const std::size_t length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;  // NOLINT
    std::uint32_t code = length == 1 ? lead : lead & (0xFFU >> (length + 1));
    for (std::size_t k = 1; k < length && i + k < text.size(); ++k) {
      code = (code << kContinuationBits) |
             (static_cast<unsigned char>(text[i + k]) & kContinuationMask);
    }
    constexpr std::uint32_t kFirstArabicNoncharacter = 0xFDD0;
    constexpr std::uint32_t kLastArabicNoncharacter = 0xFDEF;
    if ((code & kNoncharacterBits) == kNoncharacterBits ||
        (code >= kFirstArabicNoncharacter && code <= kLastArabicNoncharacter)) {
      return true;
    }
    i += length;
  }
  return false;
}

// Strings must be valid UTF-8 (for JSON) and free of noncharacters, which the emitter cannot
// write back (yaml-cpp substitutes U+FFFD).
Status check_strings(const ordered_json& doc, const Position& pos) {
  std::string text;
  try {
    text = doc.dump();
  } catch (const nlohmann::json::exception&) {
    return error_at(pos, YAML::Mark::null_mark(), "a string is not valid UTF-8");
  }
  if (has_noncharacter(text)) {
    return error_at(pos, YAML::Mark::null_mark(),
                    "a string holds a Unicode noncharacter "
                    "(U+FDD0..U+FDEF, U+FFFE, U+FFFF, U+1FFFE, ...)");
  }
  return {};
}

// Parses `text` for its structure only, to find content after the first document that
// YAML::Load would silently drop (`{"a": 1} {"b": 2}`, a stray `,`). Each call of
// HandleNextDocument returns, so this cannot loop the way LoadAll does.
class IgnoreEvents final : public YAML::EventHandler {
 public:
  void OnDocumentStart(const YAML::Mark& mark) override { document_mark_ = mark; }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
  [[nodiscard]] const YAML::Mark& document_mark() const { return document_mark_; }

 private:
  YAML::Mark document_mark_;
};

Status check_single_document(std::string_view text, const Position& pos) {
  std::istringstream in{std::string(text)};
  YAML::Parser parser(in);
  IgnoreEvents events;
  try {
    parser.HandleNextDocument(events);
    if (parser.HandleNextDocument(events)) {
      return error_at(pos, events.document_mark(),
                      "unexpected content after the end of the document");
    }
  } catch (const YAML::Exception& e) {
    return error_at(pos, e.mark, e.msg);
  }
  return {};
}

Status parse_yaml_chunk(const Chunk& chunk, Position pos, std::vector<ordered_json>& out) {
  JK_TRY_STATUS(check_single_document(chunk.text, pos));
  YAML::Node node;
  try {
    node = YAML::Load(std::string(chunk.text));  // one document per chunk, see Splitter
  } catch (const YAML::Exception& e) {
    return error_at(pos, e.mark, e.msg);
  }
  JK_TRY(ordered_json doc, NodeConverter(pos).convert(node, 0));
  JK_TRY_STATUS(check_strings(doc, pos));
  if (!doc.is_null()) out.push_back(std::move(doc));  // empty document (or `--- ~`)
  return {};
}

Result<std::vector<ordered_json>> parse_yaml(std::string_view text) {
  std::vector<ordered_json> docs;
  int index = 0;
  for (const Chunk& chunk : Splitter(text).split()) {
    const Position pos{++index, chunk.first_line};
    JK_TRY_STATUS(parse_yaml_chunk(chunk, pos, docs));
  }
  return docs;
}

// ---------------------------------------------------------------------------------------------
// JSON streams: `{...}{...}` or one per line, as `kubectl get -o json` pipelines produce.

bool within_depth(const ordered_json& value, int depth) {
  if (depth > kMaxDocumentDepth) return false;
  if (!value.is_structured()) return true;
  return std::all_of(value.begin(), value.end(),
                     [&](const ordered_json& child) { return within_depth(child, depth + 1); });
}

std::string line_column(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  const std::string_view before = text.substr(0, offset);
  const auto line = std::count(before.begin(), before.end(), '\n') + 1;
  const std::size_t last_newline = before.rfind('\n');
  const std::size_t column =
      last_newline == std::string_view::npos ? offset + 1 : offset - last_newline;
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

Result<std::vector<ordered_json>> parse_json_stream(std::string_view text) {
  std::vector<ordered_json> docs;
  std::istringstream in{std::string(text)};
  for (int index = 1;; ++index) {
    in >> std::ws;
    if (in.peek() == std::char_traits<char>::eof()) return docs;
    const auto start = static_cast<std::size_t>(in.tellg());
    ordered_json doc;
    try {
      in >> doc;
    } catch (const nlohmann::json::parse_error& e) {
      const std::size_t at = start + (e.byte > 0 ? e.byte - 1 : 0);
      return make_error("document " + std::to_string(index) + ", " + line_column(text, at) +
                        ": invalid JSON");
    } catch (const nlohmann::json::exception& e) {  // e.g. out_of_range: 1e99999
      return make_error("document " + std::to_string(index) + ": invalid JSON: " + e.what());
    }
    if (!within_depth(doc, 0)) {
      return make_error("document " + std::to_string(index) + ": nesting deeper than the limit");
    }
    JK_TRY_STATUS(check_strings(doc, Position{index, 0}));
    if (!doc.is_null()) docs.push_back(std::move(doc));  // like an empty YAML document
  }
}

bool looks_like_json(std::string_view text) {
  const std::size_t first = text.find_first_not_of(" \t\r\n");
  return first != std::string_view::npos && (text[first] == '{' || text[first] == '[');
}

// ---------------------------------------------------------------------------------------------
// Emitting

// YAML 1.1 readers (go-yaml v2 behind kubectl) also type these as bools, numbers or dates.
bool yaml11_ambiguous(std::string_view s) {
  static const std::unordered_set<std::string_view> kWords = {
      "y",  "Y",  "yes", "Yes", "YES", "n", "N",  "no",   "No",   "NO",  "on",
      "On", "ON", "off", "Off", "OFF", "=", "<<", ".inf", ".Inf", ".INF"};
  if (kWords.contains(s)) return true;
  // Numbers with `_`, sexagesimal (1:20), binary (0b1), dates (2024-01-02t10:00:00z): quote
  // anything numeric-looking rather than chase every 1.1 regex.
  const std::string_view u = strip_sign(s);
  if (u.empty() || !(is_digit(u[0]) || u[0] == '.')) return false;
  constexpr std::string_view kNumberish = "0123456789abcdefABCDEFoOxXtTzZ_.:+- ";
  return std::all_of(u.begin(), u.end(),
                     [&](char c) { return kNumberish.find(c) != std::string_view::npos; });
}

bool literal_block_fits(std::string_view s) {
  if (s.size() < 2 || s.back() != '\n' || s[s.size() - 2] == '\n') return false;
  if (s[0] == ' ' || s[0] == '\t' || s[0] == '\n') return false;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == '\n') {
      const std::string_view line = s.substr(line_start, i - line_start);
      const bool blank_with_spaces =
          !line.empty() && line.find_first_not_of(" \t") == std::string_view::npos;
      if (blank_with_spaces || (!line.empty() && (line.back() == ' ' || line.back() == '\t'))) {
        return false;
      }
      line_start = i + 1;
    } else if ((c < 0x20 && c != '\t') || c == 0x7f) {
      return false;
    }
  }
  return true;
}

// One printable line: single quotes need no escapes but `''`, so JSON in an annotation stays
// readable ('{"a":1}' rather than "{\"a\":1}"), as kubectl writes it.
bool single_quotes_fit(std::string_view s) {
  return std::none_of(s.begin(), s.end(), [](char ch) {
    const auto c = static_cast<unsigned char>(ch);
    return c < 0x20 || c == 0x7f;
  });
}

// Control characters other than tab and newline, which plain and block styles cannot carry.
bool has_control_char(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char ch) {
    const auto c = static_cast<unsigned char>(ch);
    return (c < 0x20 && c != '\t' && c != '\n') || c == 0x7f;
  });
}

void emit_string(YAML::Emitter& out, const std::string& s) {
  const bool escapes_needed = s.find_first_of("\"\\") != std::string::npos;
  if (escapes_needed && single_quotes_fit(s)) {
    out << YAML::SingleQuoted;
  } else if (plain_scalar_is_ambiguous(s) || has_control_char(s)) {
    out << YAML::DoubleQuoted;  // yaml-cpp would write a bare \r as is; quoted, it is escaped
  } else if (literal_block_fits(s)) {
    out << YAML::Literal;
  }
  out << s;
}

void emit_value(YAML::Emitter& out, const ordered_json& value);

// YAML limits implicit keys to 1024 characters; longer ones need the explicit `? key` form.
constexpr std::size_t kMaxImplicitKeyChars = 1000;  // margin for quotes

bool needs_explicit_key(std::string_view key) {
  std::size_t chars = key.size();
  for (const char ch : key) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == 0x7f) chars += 3;  // escaped as \xNN
    if (c == '"' || c == '\\') chars += 1;
  }
  return chars > kMaxImplicitKeyChars;
}

void emit_object(YAML::Emitter& out, const ordered_json& object) {
  if (object.empty()) out << YAML::Flow;
  out << YAML::BeginMap;
  for (const auto& [key, child] : object.items()) {
    out << YAML::Key;
    if (needs_explicit_key(key)) out << YAML::LongKey;
    emit_string(out, key);
    out << YAML::Value;
    emit_value(out, child);
  }
  out << YAML::EndMap;
}

void emit_array(YAML::Emitter& out, const ordered_json& array) {
  if (array.empty()) out << YAML::Flow;
  out << YAML::BeginSeq;
  for (const ordered_json& child : array) emit_value(out, child);
  out << YAML::EndSeq;
}

void emit_value(YAML::Emitter& out, const ordered_json& value) {
  switch (value.type()) {
    case ordered_json::value_t::object:
      return emit_object(out, value);
    case ordered_json::value_t::array:
      return emit_array(out, value);
    case ordered_json::value_t::string:
      return emit_string(out, value.get_ref<const std::string&>());
    case ordered_json::value_t::boolean:
      out << (value.get<bool>() ? "true" : "false");
      return;
    case ordered_json::value_t::number_integer:
    case ordered_json::value_t::number_unsigned:
    case ordered_json::value_t::number_float:
      out << value.dump();  // shortest round-trip text; floats keep their ".0"
      return;
    default:
      out << YAML::Null;
      return;
  }
}

}  // namespace

bool plain_scalar_is_ambiguous(std::string_view text) {
  const std::string s(text);
  const auto resolved = resolve_plain(s);
  if (!resolved || !resolved->is_string()) return true;
  // A plain "--- x" or "... x" at the start of a line would end the document.
  if (text.starts_with("---") || text.starts_with("...")) return true;
  return yaml11_ambiguous(text);
}

Result<std::vector<nlohmann::ordered_json>> parse_documents(std::string_view text) {
  if (text.substr(0, kUtf8Bom.size()) == kUtf8Bom) text.remove_prefix(kUtf8Bom.size());
  if (!looks_like_json(text)) return parse_yaml(text);
  auto json = parse_json_stream(text);
  if (json.ok()) return json;
  // `{a: 1}` is YAML flow style, not JSON; report the JSON error only if YAML fails too.
  auto yaml = parse_yaml(text);
  return yaml.ok() ? std::move(yaml) : std::move(json);
}

std::string emit_yaml(const nlohmann::ordered_json& doc) {
  YAML::Emitter out;
  out.SetIndent(2);
  emit_value(out, doc);
  std::string text = out.c_str();
  if (text.empty() || text.back() != '\n') text += '\n';
  return text;
}

std::string emit_yaml_stream(const std::vector<nlohmann::ordered_json>& docs) {
  std::string text;
  for (std::size_t i = 0; i < docs.size(); ++i) {
    if (i > 0) text += "---\n";
    text += emit_yaml(docs[i]);
  }
  return text;
}

}  // namespace jk::cli
