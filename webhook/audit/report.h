#pragma once
// Audit output: an aligned table with a summary line for people, a JSON array for machines,
// and the exit status (0 when every pod is OK or SKIPPED, 1 otherwise).
#include <string>
#include <vector>

#include "webhook/audit/verdict.h"

namespace jk::audit {

inline constexpr int kExitAllGood = 0;
inline constexpr int kExitFindings = 1;

// "4 pods: 1 OK, 1 UNPATCHED, 0 DRIFT, 1 TAMPERED, 1 SKIPPED"
std::string summary_line(const std::vector<AuditRow>& rows);
// Header, one line per row (columns padded to the widest cell), then the summary line.
std::string format_table(const std::vector<AuditRow>& rows);
// [{"namespace", "pod", "node", "nodeOS", "kernel", "arch", "recordedOS", "jail", "verdict",
//   "reason"}]
std::string format_json(const std::vector<AuditRow>& rows);
int exit_code(const std::vector<AuditRow>& rows);

}  // namespace jk::audit
