#pragma once
// Capabilities without libcap: read the sets from /proc/<pid>/status, name them, drop them all.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace jk::launcher::sys {

// The five sets as bit masks (bit n = capability n), as /proc/self/status shows them.
struct CapabilitySets {
  std::uint64_t inheritable = 0;
  std::uint64_t permitted = 0;
  std::uint64_t effective = 0;
  std::uint64_t bounding = 0;
  std::uint64_t ambient = 0;
};

// Parses the CapInh/CapPrm/CapEff/CapBnd/CapAmb lines of a /proc/<pid>/status text.
Result<CapabilitySets> parse_capability_sets(std::string_view status_text);
Result<CapabilitySets> read_own_capabilities();

// "cap_net_admin" for 12; "cap_63" for numbers without a name.
std::string capability_name(unsigned number);
// The names of the bits set in mask, lowest first.
std::vector<std::string> capability_names(std::uint64_t mask);

// The highest capability number this kernel knows (/proc/sys/kernel/cap_last_cap).
Result<unsigned> last_capability();

// Whether `number` is in this thread's effective set (capget).
bool has_effective_capability(unsigned number);

// Empties the calling thread's effective, permitted and inheritable sets (raw capset: other
// threads keep theirs). For threads that act for the agent, so they can do no more than it can.
Status drop_thread_capabilities();

// Drops every capability: the bounding set (PR_CAPBSET_DROP 0..last) when CAP_SETPCAP allows it,
// the ambient set, then capset to empty effective/permitted/inheritable. Irreversible. Without
// CAP_SETPCAP the bounding set is left as it is: callers must set no_new_privs (lockdown does).
Status drop_all_capabilities();

}  // namespace jk::launcher::sys
