#include "launcher/jail/nsjail/handover.h"

#include <array>
#include <string_view>

#include "launcher/sys/fd_passing.h"

namespace jk::launcher::jail {
namespace {

constexpr std::string_view kGo = "go";
constexpr std::string_view kOk = "ok";
constexpr std::string_view kErrorPrefix = "error: ";
constexpr std::size_t kHandedFds = 2;

Status send_text(int fd, std::string_view text) {
  auto sent = sys::send_message(fd, text);
  return sent.ok() ? sent : sent.error().wrap("nsjail handover");
}

}  // namespace

Result<HandoverPair> make_handover_pair() {
  auto pair = sys::seqpacket_pair();
  if (!pair.ok()) return pair.error().wrap("nsjail handover");
  return HandoverPair{std::move(pair->first), std::move(pair->second)};
}

Status send_go(int fd) { return send_text(fd, kGo); }

Status wait_for_go(int fd) {
  auto message = sys::receive_message(fd);
  if (!message.ok()) return message.error().wrap("nsjail handover");
  if (message->text != kGo) return make_error("nsjail handover: the launcher went away");
  return {};
}

Status send_sockets(int fd, const JailSockets& sockets) {
  const std::array<int, kHandedFds> handed{sockets.tcp_listener.get(), sockets.dns_socket.get()};
  auto sent = sys::send_message(fd, kOk, handed);
  return sent.ok() ? sent : sent.error().wrap("nsjail handover");
}

Status send_failure(int fd, const std::string& message) {
  return send_text(fd, std::string(kErrorPrefix) + message);
}

Result<JailSockets> receive_sockets(int fd) {
  auto message = sys::receive_message(fd, kHandedFds);
  if (!message.ok()) return message.error().wrap("nsjail handover");
  const std::string& text = message->text;
  auto& fds = message->fds;
  if (text.rfind(kErrorPrefix, 0) == 0) return make_error(text.substr(kErrorPrefix.size()));
  if (text != kOk) return make_error("");  // the child died before sending anything
  if (fds.size() != kHandedFds) return make_error("nsjail handover: descriptors missing");
  return JailSockets{std::move(fds[0]), std::move(fds[1])};
}

}  // namespace jk::launcher::jail
