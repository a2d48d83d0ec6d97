#pragma once
// DRIFT: does what was granted at admission (jailkeeper.io/status) still work on the node the
// pod actually runs on? Only differences that matter count: an OS mismatch whose grant works on
// both (predicted Bottlerocket, landed on Amazon Linux) is a note, not drift.
#include <string>
#include <vector>

#include "webhook/audit/status_record.h"
#include "webhook/policy/node.h"

namespace jk::audit {

inline constexpr policy::KernelVersion kLandlockMinKernel{6, 7, 0};  // Landlock ABI 4
inline constexpr policy::KernelVersion kSeccompNotifyMinKernel{5, 9,
                                                               0};  // SECCOMP_IOCTL_NOTIF_ADDFD

struct DriftCheck {
  std::vector<std::string> findings;  // each one a reason for DRIFT
  std::vector<std::string> notes;     // worth saying, but the jail still works
};

// `node` is null while the pod is pending (or its node is gone): only the record is checked.
DriftCheck check_drift(const StatusRecord& record, const policy::Node* node);

}  // namespace jk::audit
