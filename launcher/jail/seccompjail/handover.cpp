#include "launcher/jail/seccompjail/handover.h"

#include <unistd.h>

#include <array>
#include <cstdlib>

#include "launcher/sys/fd_passing.h"
#include "launcher/sys/file_io.h"
#include "launcher/sys/process.h"
#include "launcher/sys/seccomp_notify.h"

namespace jk::launcher::jail {
namespace {

constexpr char kListener = 'L';
constexpr char kError = 'E';
constexpr char kTaken = 'T';
constexpr std::size_t kMaxMessage = 1024;
constexpr int kDecimal = 10;

// One SOCK_SEQPACKET message (one write: a datagram is never split).
Status put(int fd, const std::string& message) {
  if (const Status sent = sys::write_all(fd, message); !sent) {
    return sent.error().wrap("seccompjail handover");
  }
  return {};
}

struct Message {
  char kind = '\0';  // '\0' at EOF
  std::string body;
};

Result<Message> get(int fd) {
  std::array<char, kMaxMessage> buffer{};
  auto n = sys::read_some(fd, buffer);
  if (!n.ok()) return n.error().wrap("seccompjail handover");
  if (*n == 0) return Message{};
  return Message{buffer[0], std::string(buffer.data() + 1, *n - 1)};
}

}  // namespace

Result<Handover> Handover::create() {
  JK_TRY(auto ends, sys::seqpacket_pair());
  Handover h;
  h.parent_end_ = std::move(ends.first);
  h.child_end_ = std::move(ends.second);
  return h;
}

Status Handover::offer_listener(int listener_fd) {
  JK_TRY_STATUS(put(child_end_.get(),
                    kListener + std::to_string(::getpid()) + " " + std::to_string(listener_fd)));
  JK_TRY(const Message reply, get(child_end_.get()));
  if (reply.kind != kTaken) return make_error("the launcher did not take the listener");
  return {};
}

void Handover::send_error(const std::string& message) {
  [[maybe_unused]] auto sent = put(child_end_.get(), kError + message.substr(0, kMaxMessage - 1));
}

Result<sys::UniqueFd> Handover::take_listener() {
  JK_TRY(const Message message, get(parent_end_.get()));
  if (message.kind == '\0') return make_error("the child exited before installing the filter");
  if (message.kind == kError) return make_error(message.body);
  if (message.kind != kListener) return make_error("unexpected handover message");
  char* rest = nullptr;
  const long pid = std::strtol(message.body.c_str(), &rest, kDecimal);
  const long number = std::strtol(rest, nullptr, kDecimal);
  JK_TRY(const sys::UniqueFd pidfd, sys::open_pidfd(static_cast<pid_t>(pid)));
  auto listener = sys::fetch_fd(pidfd.get(), static_cast<int>(number));
  if (!listener.ok()) {
    return listener.error().wrap(
        "taking the seccomp listener from the child: the launcher needs pidfd_getfd on its "
        "child (a container's RuntimeDefault seccomp profile allows it only with CAP_SYS_PTRACE: "
        "add SYS_PTRACE to the container's capabilities or run it seccomp Unconfined; and "
        "kernel.yama.ptrace_scope <= 1)");
  }
  JK_TRY_STATUS(put(parent_end_.get(), std::string(1, kTaken)));
  return listener;
}

Status Handover::wait_for_exec() {
  JK_TRY(const Message message, get(parent_end_.get()));
  if (message.kind == '\0') return {};
  if (message.kind == kError) return make_error(message.body);
  return make_error("unexpected handover message");
}

}  // namespace jk::launcher::jail
