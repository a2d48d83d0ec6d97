#pragma once
// One line of a watch stream ({"type": ..., "object": ...}) decoded without exceptions. The API
// server's JSON is untrusted input: every field is type-checked, and anything unexpected is an
// event of kind kBad with the reason, never a throw (`{"type":"ERROR","object":{"code":"410"}}`
// is an ERROR without a code, not a crash of the reflector thread).
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace jk::kube {

enum class WatchEventKind { kAdded, kModified, kDeleted, kBookmark, kError, kBad };

struct WatchEvent {
  WatchEventKind kind = WatchEventKind::kBad;
  nlohmann::json object;         // ADDED/MODIFIED/DELETED: always a JSON object; ERROR: Status
  std::string resource_version;  // object.metadata.resourceVersion; "" when absent or not a string
  // ERROR: the Status says the resourceVersion is too old (code 410, or reason Expired/Gone).
  bool gone = false;
  std::string message;  // ERROR: the Status message; kBad: what is wrong with the line
};

WatchEvent decode_watch_event(std::string_view line);

}  // namespace jk::kube
