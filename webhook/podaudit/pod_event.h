#pragma once
// The Kubernetes Event the continuous audit records on a pod that turned DRIFT, TAMPERED or
// UNPATCHED (pure). Its name is derived from the pod's uid, the verdict and the reason, so the
// same finding is recorded once: a second replica, or this one after a restart, gets 409
// AlreadyExists for it instead of a duplicate.
#include <chrono>
#include <optional>
#include <string>

#include "webhook/audit/verdict.h"

namespace jk::podaudit {

struct PodEvent {
  std::string namespace_name;
  std::string name;  // the Event's metadata.name
  std::string body;  // core/v1 Event JSON for POST /api/v1/namespaces/NS/events
};

// Reasons by verdict: JailDrift, JailTampered, JailUnpatched.
std::optional<std::string> event_reason(audit::Verdict verdict);

// nullopt when the transition is not worth an Event (not into a bad verdict, or the same
// verdict and reason as before).
std::optional<PodEvent> pod_event(const std::string& pod_uid,
                                  const std::optional<audit::AuditRow>& before,
                                  const audit::AuditRow& after, const std::string& instance,
                                  std::chrono::system_clock::time_point now);

}  // namespace jk::podaudit
