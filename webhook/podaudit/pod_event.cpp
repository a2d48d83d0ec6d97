#include "webhook/podaudit/pod_event.h"

#include <cstdint>
#include <ctime>
#include <nlohmann/json.hpp>

namespace jk::podaudit {
namespace {

constexpr std::size_t kMaxMessage = 1024;  // the API server truncates longer messages anyway
constexpr std::size_t kMaxPodPart = 200;   // Event names are DNS subdomains (<= 253)
constexpr std::uint64_t kFnvOffset = 14695981039346656037ULL;
constexpr std::uint64_t kFnvPrime = 1099511628211ULL;

// FNV-1a: stable across builds and machines (std::hash is not).
std::string fingerprint(const std::string& text) {
  std::uint64_t h = kFnvOffset;
  for (const char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= kFnvPrime;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, h >>= 4) out[static_cast<std::size_t>(i)] = kHex[h & 0xF];
  return out;
}

std::string rfc3339(std::chrono::system_clock::time_point t) {
  const std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string message_of(const audit::AuditRow& row) {
  std::string m = std::string(audit::verdict_name(row.verdict)) + ": " + row.reason;
  if (!row.node.empty() && row.node != audit::kPendingNode) {
    m += " (node " + row.node + (row.node_os.empty() ? "" : ", " + row.node_os) + ")";
  }
  if (m.size() > kMaxMessage) m = m.substr(0, kMaxMessage - 3) + "...";
  return m;
}

}  // namespace

std::optional<std::string> event_reason(audit::Verdict verdict) {
  switch (verdict) {
    case audit::Verdict::kDrift:
      return "JailDrift";
    case audit::Verdict::kTampered:
      return "JailTampered";
    case audit::Verdict::kUnpatched:
      return "JailUnpatched";
    default:
      return std::nullopt;
  }
}

std::optional<PodEvent> pod_event(const std::string& pod_uid,
                                  const std::optional<audit::AuditRow>& before,
                                  const audit::AuditRow& after, const std::string& instance,
                                  std::chrono::system_clock::time_point now) {
  const auto reason = event_reason(after.verdict);
  if (!reason) return std::nullopt;
  if (before && before->verdict == after.verdict && before->reason == after.reason) {
    return std::nullopt;
  }
  const std::string pod_part = after.pod.substr(0, kMaxPodPart);
  PodEvent event;
  event.namespace_name = after.namespace_name;
  event.name =
      pod_part + ".jailkeeper-" + fingerprint(pod_uid + '\n' + *reason + '\n' + after.reason);
  const std::string stamp = rfc3339(now);
  const nlohmann::json body = {
      {"apiVersion", "v1"},
      {"kind", "Event"},
      {"metadata", {{"name", event.name}, {"namespace", event.namespace_name}}},
      {"involvedObject",
       {{"apiVersion", "v1"},
        {"kind", "Pod"},
        {"namespace", after.namespace_name},
        {"name", after.pod},
        {"uid", pod_uid}}},
      {"reason", *reason},
      {"message", message_of(after)},
      {"type", "Warning"},
      {"source", {{"component", "jailkeeper-webhook"}}},
      {"reportingComponent", "jailkeeper.io/webhook"},
      {"reportingInstance", instance},
      {"action", "Audit"},
      {"firstTimestamp", stamp},
      {"lastTimestamp", stamp},
      {"count", 1},
  };
  event.body = body.dump();
  return event;
}

}  // namespace jk::podaudit
