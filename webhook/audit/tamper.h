#pragma once
// TAMPERED: does the pod still carry what its jailkeeper.io/status says the webhook added?
// Checked per jailed container: the granted capabilities, seccomp Unconfined, the command
// wrapped by jailkeeper-launch, JAILKEEPER_SPEC; per pod: the launcher's init container.
#include <string>
#include <vector>

#include "webhook/audit/pod_view.h"
#include "webhook/audit/status_record.h"

namespace jk::audit {

// One finding per difference, e.g. "agent: capability NET_ADMIN missing"; empty: intact.
std::vector<std::string> tamper_findings(const PodView& pod, const StatusRecord& record);

}  // namespace jk::audit
