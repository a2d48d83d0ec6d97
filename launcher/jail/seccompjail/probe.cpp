// seccompjail_available(): the whole mechanism, tried for real in a forked child.
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <string>
#include <vector>

#include "launcher/jail/seccompjail/filter.h"
#include "launcher/jail/seccompjail/handover.h"
#include "launcher/jail/seccompjail/seccompjail.h"
#include "launcher/sys/event.h"
#include "launcher/sys/lockdown.h"
#include "launcher/sys/probes.h"
#include "launcher/sys/process.h"
#include "launcher/sys/seccomp_notify.h"
#include "launcher/sys/signals.h"
#include "launcher/sys/socket.h"

namespace jk::launcher::jail {
namespace {

constexpr int kProbeTimeoutMs = 5000;
constexpr std::uint16_t kProbePort = 9;  // discard; never actually connected

[[noreturn]] void probe_fail(Handover& handover, const Error& error) {
  handover.send_error(error.message);
  _exit(1);
}

// The child: filter + listener, hand over, then one connect the parent must answer via ADDFD.
[[noreturn]] void probe_child(Handover& handover, const std::vector<sock_filter>& program) {
  auto step = sys::set_no_new_privs();
  if (!step.ok()) probe_fail(handover, step.error());
  auto listener = sys::install_notify_filter(program);
  if (!listener.ok()) probe_fail(handover, listener.error());
  if (!handover.offer_listener(listener->get()).ok()) _exit(1);
  listener->reset();
  auto socket = sys::open_socket(AF_INET, SOCK_STREAM);
  auto to = sys::parse_endpoint("127.0.0.1", kProbePort);
  const bool connected = socket.ok() && to.ok() && sys::connect_socket(socket->get(), *to).ok();
  _exit(connected ? 0 : 1);
}

// The parent: answer the child's connect with ADDFD, as the broker does.
Status answer_probe(const sys::NotifyListener& listener) {
  std::array<pollfd, 1> p{pollfd{listener.fd(), POLLIN, 0}};
  auto ready = sys::poll_fds(p, kProbeTimeoutMs);
  if (!ready.ok() || *ready != 1) return make_error("no seccomp notification arrived");
  JK_TRY(const auto received, listener.receive());
  if (!received) return make_error("the probe child vanished");
  const sys::Notification& n = *received;
  auto replacement = sys::open_socket(AF_INET, SOCK_STREAM);
  if (!replacement.ok()) {
    [[maybe_unused]] auto answered = listener.respond_error(n.id, ENOSYS);
    return replacement.error();
  }
  auto added = listener.install_fd(n.id, replacement->get(), static_cast<int>(n.args[0]), false);
  if (!added.ok()) {
    [[maybe_unused]] auto answered = listener.respond_error(n.id, ENOSYS);
    return added.error().wrap("needs Linux >= 5.9");
  }
  return listener.respond_value(n.id, 0);
}

Status probe_parent(pid_t pid, Handover& handover) {
  JK_TRY(sys::UniqueFd fd, handover.take_listener());
  const sys::NotifyListener listener(std::move(fd));
  JK_TRY_STATUS(answer_probe(listener));
  JK_TRY(const int status, sys::wait_for_exit(pid));
  if (sys::exit_code_from_wait_status(status) != 0) {
    return make_error("the probe's connect was not answered as installed");
  }
  return {};
}

}  // namespace

Status seccompjail_available() {
  const std::string prefix = "seccompjail unavailable (kernel " + sys::kernel_release() + "): ";
  const auto program = build_seccompjail_filter();  // allocated before fork
  auto handover = Handover::create();
  if (!handover.ok()) return handover.error().wrap(prefix);
  auto forked = sys::fork_process();
  if (!forked.ok()) return make_error(prefix + forked.error().message);
  const pid_t pid = *forked;
  if (pid == 0) {
    handover->in_child();
    probe_child(*handover, program);
  }
  handover->in_parent();
  auto probed = probe_parent(pid, *handover);
  if (probed.ok()) return {};
  sys::kill_and_reap(pid);
  return make_error(prefix + probed.error().message +
                    " (seccompjail needs seccomp user notification with ADDFD, Linux >= 5.9, and "
                    "a container runtime that allows seccomp filters)");
}

}  // namespace jk::launcher::jail
