#pragma once
// The record an injection leaves on the pod (annotation jailkeeper.io/status): what was decided
// (OS, kernel, jail, fallback, grants, policy), which containers are jailed and the changes of
// every pass. `audit` reads it back (webhook/audit/status_record.h).
#include <string>
#include <vector>

#include "webhook/inject/patch_builder.h"
#include "webhook/policy/decide.h"

namespace jk::inject {

// The record's JSON text (compact; members in the order written here). "changes" lists
// `earlier` (earlier_changes(): those of earlier passes) and then those of `now` (this pass's)
// not already listed.
// Appended to `out`.
void append_status_record(const policy::Decision& decision, const std::string& policy_name,
                          const std::vector<JailedContainer>& containers,
                          const std::vector<std::string>& unwrapped,
                          const std::vector<std::string>& earlier,
                          const std::vector<std::string>& now, std::string& out);

}  // namespace jk::inject
