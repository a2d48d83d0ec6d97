#pragma once
// Reads back the jailkeeper.io/status annotation the injection writes (webhook/inject/status.h,
// status_record): what was predicted and granted at admission. Strict: a record audit cannot read
// is reported as such, never guessed.
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace jk::audit {

inline constexpr int kStatusVersion = 1;

// What one jailed container was granted (status field "grants", one entry per container).
struct RecordedGrant {
  std::string container;
  std::vector<std::string> add;
  bool seccomp_unconfined = false;
};

struct StatusRecord {
  std::string node_os;                    // amazon-linux|bottlerocket|fargate|other|mixed|unknown
  std::vector<std::string> candidate_os;  // when node_os is "mixed"
  std::string jail;                       // nsjail|landjail|seccompjail
  std::vector<std::string> fallback;      // jails the launcher may fall back to
  bool user_namespace = true;
  std::vector<std::string> capabilities;  // every container's, e.g. {"NET_ADMIN"}
  bool seccomp_unconfined = false;        // any container's
  // Per container (records written before per-container grants have none: then
  // `capabilities` and `seccomp_unconfined` apply to every jailed container).
  std::vector<RecordedGrant> grants;
  std::vector<std::string> containers;  // jailed containers
  std::vector<std::string> unwrapped;   // jailed containers whose command was not wrapped
};

Result<StatusRecord> decode_status(std::string_view text);

}  // namespace jk::audit
