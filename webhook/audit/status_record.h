#pragma once
// Reads back the jailkeeper.io/status annotation the handler writes (webhook/handler/mutator.cpp,
// status_of): what was predicted and granted at admission. Strict: a record audit cannot read
// is reported as such, never guessed.
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace jk::audit {

inline constexpr int kStatusVersion = 1;

struct StatusRecord {
  std::string node_os;                    // amazon-linux|bottlerocket|fargate|other|mixed|unknown
  std::vector<std::string> candidate_os;  // when node_os is "mixed"
  std::string jail;                       // nsjail|landjail|seccompjail
  bool user_namespace = true;
  std::vector<std::string> capabilities;  // e.g. {"NET_ADMIN"}
  bool seccomp_unconfined = false;
  std::vector<std::string> containers;  // jailed containers
  std::vector<std::string> unwrapped;   // jailed containers whose command was not wrapped
};

Result<StatusRecord> decode_status(std::string_view text);

}  // namespace jk::audit
