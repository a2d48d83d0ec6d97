#pragma once
// The YAML/JSON adapter of `inject`: manifests in (multi-document YAML or a JSON stream), JSON
// values out, and back to block YAML. The only place yaml-cpp is called; its exceptions and
// nlohmann's never leave this module.
//
// Documents are nlohmann::ordered_json so that keys come out in the order the user wrote them
// (a re-ordered manifest makes `inject` output hard to diff against the input).
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.h"

namespace jk::cli {

// Guards against hostile input (deep nesting, alias "billion laughs" expansion).
inline constexpr int kMaxDocumentDepth = 128;
inline constexpr std::size_t kMaxDocumentNodes = 1U << 20U;

// Splits and parses a manifest stream. Input that starts with '{' or '[' is read as a stream of
// JSON values (exact number types); anything else as YAML, split on `---` lines like kubectl.
// YAML scalars are typed by the YAML 1.2 core schema (unquoted true/false -> bool, 12 -> int,
// 1.5 -> float, null/~/empty -> null; quoted -> string; `yes`/`on` stay strings). Empty
// documents are skipped. Errors name the 1-based document index and line:column.
Result<std::vector<nlohmann::ordered_json>> parse_documents(std::string_view text);

// One document as block-style YAML (no `---`, ends with a newline). Strings that a YAML 1.1 or
// 1.2 reader would type as something else ("true", "0755", "1.20", "null", "", "on") are quoted,
// so parse_documents(emit_yaml(doc)) == doc.
std::string emit_yaml(const nlohmann::ordered_json& doc);

// Several documents separated by `---` lines, in order.
std::string emit_yaml_stream(const std::vector<nlohmann::ordered_json>& docs);

// True when the plain (unquoted) scalar `text` would be read as anything but a string by a
// YAML 1.2 core-schema reader or a YAML 1.1 reader (go-yaml v2, used by kubectl).
bool plain_scalar_is_ambiguous(std::string_view text);

}  // namespace jk::cli
