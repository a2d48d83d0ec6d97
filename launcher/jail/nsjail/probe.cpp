// nsjail_available(): builds a throwaway jail network in a short-lived child.
#include <sched.h>
#include <unistd.h>

#include <cerrno>
#include <string>

#include "launcher/jail/nsjail/child.h"
#include "launcher/jail/nsjail/nsjail.h"
#include "launcher/net/jail_network.h"
#include "launcher/sys/child_error_pipe.h"
#include "launcher/sys/namespaces.h"
#include "launcher/sys/process.h"
#include "launcher/sys/signals.h"

namespace jk::launcher::jail {
namespace {

constexpr const char* kNfTablesHint =
    "the kernel needs nf_tables with NAT and redirect (CONFIG_NF_TABLES, CONFIG_NFT_NAT, "
    "CONFIG_NFT_REDIR; modules nf_tables, nft_chain_nat, nft_redir)";

Status trial(const NsjailOptions& options, bool user_namespace) {
  int flags = CLONE_NEWNET | CLONE_NEWNS | CLONE_NEWPID;
  if (user_namespace) flags |= CLONE_NEWUSER;
  const std::string what =
      std::string("unshare(") + (user_namespace ? "user+" : "") + "net+mount+pid namespaces)";
  if (const Status unshared = sys::unshare_namespaces(flags, what); !unshared) {
    return make_error(unshared.error().message + ": " + nsjail_namespace_hint(user_namespace));
  }
  if (const Status built = net::build_jail_network({options.relay_port, options.dns_port});
      !built) {
    return make_error(built.error().message + ": " + kNfTablesHint);
  }
  return {};
}

}  // namespace

Status nsjail_available(const NsjailOptions& options) {
  const bool user_namespace = use_user_namespace(options);
  JK_TRY(sys::ChildErrorPipe pipe, sys::ChildErrorPipe::create());
  auto forked = sys::fork_process();
  if (!forked.ok()) return forked.error().wrap("nsjail probe");
  const pid_t pid = *forked;
  if (pid == 0) {
    pipe.in_child();
    if (const Status ok = trial(options, user_namespace); !ok) {
      pipe.fail("nsjail: " + ok.error().message);
    }
    ::_exit(0);
  }
  const Status result = pipe.wait_for_exec(pid);
  if (result.ok()) (void)sys::wait_for_exit(pid);
  return result;
}

}  // namespace jk::launcher::jail
