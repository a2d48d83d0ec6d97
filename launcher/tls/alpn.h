#pragma once
// The one application protocol the proxy speaks over TLS, in ALPN wire format.
#include <array>

namespace jk::launcher::tls {

// Length-prefixed "http/1.1" (RFC 7301 protocol list with one entry).
inline constexpr std::array<unsigned char, 9> kAlpnHttp11 = {8,   'h', 't', 't', 'p',
                                                             '/', '1', '.', '1'};

}  // namespace jk::launcher::tls
