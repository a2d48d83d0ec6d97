#pragma once
// Everything on the launcher's side of the jail: the interception CA and the trust files
// (prepared BEFORE the jail child is forked, since the agent's environment names them), the
// audit log and the proxy (started AFTER the fork, as they run threads).
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/result.h"
#include "launcher/config/launch_options.h"
#include "launcher/jail/jail.h"
#include "launcher/sys/unique_fd.h"

namespace jk::launcher::supervisor {

struct ServicesOptions {
  const config::LaunchOptions* launch = nullptr;
  std::string trust_dir;   // where the trust files go (inside the instance directory)
  std::string jail_name;   // for audit lines
  std::string session_id;  // for audit lines and the audit file name
};

class ProxyServices {
 public:
  // Creates the CA and writes the trust files. No threads.
  static Result<std::unique_ptr<ProxyServices>> prepare(const ServicesOptions& options);
  virtual ~ProxyServices() = default;

  // "NAME=value" entries that make common tools trust the CA.
  [[nodiscard]] virtual std::vector<std::string> trust_environment() const = 0;
  // Starts serving the jail: the proxy on `listener` (landjail: its 127.0.0.1 port; nsjail: the
  // socket inside the netns), the DNS stub on child.dns_socket (nsjail), the seccomp broker on
  // child.seccomp_listener (seccompjail, with its own DNS stub). Takes those descriptors.
  virtual Status start(jail::JailChild& child, sys::UniqueFd listener) = 0;
  // Stops and joins the threads. Idempotent.
  virtual void stop() = 0;

  // landjail's listener on 127.0.0.1 (port 0: random).
  static Result<std::pair<sys::UniqueFd, std::uint16_t>> listen_loopback(std::uint16_t port);
};

}  // namespace jk::launcher::supervisor
