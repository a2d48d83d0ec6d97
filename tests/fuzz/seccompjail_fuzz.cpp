// seccompjail parsers of agent bytes: the sockaddr copied out of connect/sendto/sendmsg and the
// control data of sendmsg (SCM_RIGHTS offsets). No crash, no offset outside the buffer, an IP
// endpoint only for AF_INET/AF_INET6.
#include <sys/socket.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "launcher/jail/seccompjail/message.h"
#include "launcher/jail/seccompjail/target.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto bytes = std::as_bytes(std::span(data, size));
  const auto target = jk::launcher::jail::parse_target(bytes);
  if (target.ok() && target->endpoint.has_value() && target->family != AF_INET &&
      target->family != AF_INET6) {
    std::abort();
  }
  const auto offsets = jk::launcher::jail::rights_offsets(bytes);
  if (offsets.ok()) {
    for (const std::size_t at : *offsets) {
      if (at + sizeof(int) > size) std::abort();
    }
  }
  return 0;
}
