#pragma once
// DRIFT: does the jail recorded at admission (jailkeeper.io/status) start for this pod, as it is
// now, on the node it actually runs on? Judged with the needs the webhook decides with
// (policy/jail_needs.h): the recorded jail, or one of its recorded fallbacks, must have every
// need of every jailed container met there. Only differences that matter count: an OS mismatch
// whose grant works on both (predicted Bottlerocket, landed on Amazon Linux) is a note.
#include <string>
#include <vector>

#include "webhook/audit/pod_view.h"
#include "webhook/audit/status_record.h"
#include "webhook/policy/node.h"
#include "webhook/policy/policy_config.h"

namespace jk::audit {

struct DriftCheck {
  std::vector<std::string> findings;  // each one a reason for DRIFT
  std::vector<std::string> notes;     // worth saying, but the jail still works
};

// `node` is null while the pod is pending (or its node is gone): only the record is checked.
DriftCheck check_drift(const StatusRecord& record, const PodView& pod, const policy::Node* node,
                       const policy::PolicyConfig& config);

}  // namespace jk::audit
