#pragma once
// The first bytes of a connection decide how the proxy speaks to it: a TLS ClientHello is
// intercepted, `CONNECT ` opens a tunnel, anything that starts like an HTTP method is HTTP.
#include <string_view>

namespace jk::launcher::proxy {

enum class Protocol {
  kNeedMore,  // too few bytes to tell
  kTls,       // TLS handshake record (0x16 0x03 ...)
  kConnect,   // "CONNECT "
  kHttp,      // starts with an HTTP token character (Beast parses the rest)
  kUnknown,   // nothing the proxy speaks
};

Protocol classify_first_bytes(std::string_view bytes);

}  // namespace jk::launcher::proxy
