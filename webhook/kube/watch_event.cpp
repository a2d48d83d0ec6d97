#include "webhook/kube/watch_event.h"

#include <algorithm>

#include "webhook/kube/api_status.h"

namespace jk::kube {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxQuotedLine = 120;

std::optional<WatchEventKind> kind_of(const std::string& type) {
  if (type == "ADDED") return WatchEventKind::kAdded;
  if (type == "MODIFIED") return WatchEventKind::kModified;
  if (type == "DELETED") return WatchEventKind::kDeleted;
  if (type == "BOOKMARK") return WatchEventKind::kBookmark;
  if (type == "ERROR") return WatchEventKind::kError;
  return std::nullopt;
}

// A Status whose code is 410 (an integer; "410" or 410.5 are no code) or whose reason is
// Expired or Gone, as client-go's IsResourceExpired/IsGone read it.
bool is_gone(const json& status) {
  if (!status.is_object()) return false;
  const auto code = status.find("code");
  if (code != status.end() && code->is_number_integer() &&
      code->get<std::int64_t>() == static_cast<std::int64_t>(kHttpGone)) {
    return true;
  }
  const std::string reason = string_at(status, "reason");
  return reason == "Expired" || reason == "Gone";
}

WatchEvent bad(std::string_view line, std::string_view why) {
  WatchEvent event;
  event.message =
      std::string(why) + ": " + std::string(line.substr(0, std::min(line.size(), kMaxQuotedLine)));
  return event;
}

}  // namespace

WatchEvent decode_watch_event(std::string_view line) {
  json doc = json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return bad(line, "not JSON");
  if (!doc.is_object()) return bad(line, "not an event object");
  const auto type = kind_of(string_at(doc, "type"));
  if (!type) return bad(line, "unknown event type");
  WatchEvent event;
  event.kind = *type;
  const auto found = doc.find("object");
  if (found != doc.end()) event.object = std::move(*found);
  if (event.kind == WatchEventKind::kError) {
    event.gone = is_gone(event.object);
    event.message = string_at(event.object, "message");
    return event;
  }
  if (!event.object.is_object() && event.kind != WatchEventKind::kBookmark) {
    return bad(line, "event without an object");
  }
  event.resource_version = string_at(event.object, "metadata", "resourceVersion");
  return event;
}

}  // namespace jk::kube
