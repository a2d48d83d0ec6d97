#pragma once
// landjail: the jail for hosts without namespaces but with Landlock ABI >= 4 (Linux >= 6.7).
// The agent may open TCP connections only to the proxy port (any address; bind stays allowed)
// and is told to use the proxy through HTTP(S)_PROXY. Needs no privilege at all.
#include <cstdint>

#include "common/result.h"
#include "launcher/jail/jail.h"

namespace jk::launcher::jail {

struct LandjailOptions {
  std::uint16_t proxy_port = 0;  // where the parent's proxy already listens on 127.0.0.1
};

// Ok, or why landjail cannot run here ("Landlock ABI 3 < 4: needs Linux >= 6.7 with landlock in
// lsm=", "Landlock is disabled: ...").
Status landjail_available();

// Forks the agent: Landlock connect rule, lockdown(), PDEATHSIG, exec with the proxy variables
// added to cmd.env. Returns once the agent runs (exec succeeded) or with the child's error.
Result<JailChild> start_landjail(const LandjailOptions& options, const AgentCommand& cmd);

}  // namespace jk::launcher::jail
