#pragma once
// Starts the selected jail's child (fork before any thread) and returns it together with the
// listening socket the proxy must serve for it.
#include <string>

#include "common/result.h"
#include "launcher/config/launch_options.h"
#include "launcher/jail/jail.h"
#include "launcher/supervisor/jail_selection.h"

namespace jk::launcher::supervisor {

struct StartedJail {
  jail::JailChild child;
  sys::UniqueFd proxy_listener;
  std::string description;  // for the log: "landjail, proxy 127.0.0.1:41234"
};

// landjail's proxy port: the configured one, except that the default (8080) becomes a random
// high port (the Landlock rule cannot name an address, so a well-known port is easier to abuse).
std::uint16_t landjail_port(const config::LaunchOptions& options);

Result<StartedJail> start_jail(JailKind kind, const config::LaunchOptions& options,
                               const jail::AgentCommand& cmd);

}  // namespace jk::launcher::supervisor
