#pragma once
// Where a request goes: its request target (origin-form with Host, absolute-form, or the
// authority-form of CONNECT) combined with what the connection already knows (the CONNECT
// target, the TLS SNI name, the original destination of a redirected connection). Pure.
#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace jk::launcher::proxy {

struct HostPort {
  std::string host;        // without brackets or port; IPv6 literals bare ("::1")
  std::uint16_t port = 0;  // 0: none given
};

// "example.com", "example.com:8080", "1.2.3.4:80", "[2001:db8::1]:443". Rejects empty hosts,
// userinfo, bad ports and characters no host name or IP literal contains.
Result<HostPort> parse_authority(std::string_view authority);

// What the connection knows before a request arrives.
struct ConnectionDefaults {
  std::string host;        // CONNECT host, else SNI, else original destination IP; may be empty
  std::uint16_t port = 0;  // CONNECT port, else original destination port; 0: scheme default
  bool tls = false;        // the client speaks TLS to us (intercepted)
};

struct Destination {
  std::string host;  // judged by the rules and connected to (never differ)
  std::uint16_t port = 0;
  bool tls = false;  // speak TLS upstream
  std::string path;  // origin-form target sent upstream: raw path + query, never empty

  // "https://example.com/x?y", with ":port" only when it is not the scheme's default.
  [[nodiscard]] std::string url() const;
  // "example.com:443", "[::1]:8080".
  [[nodiscard]] std::string authority() const;
};

// For an HTTP request (not CONNECT). Absolute-form wins over Host (RFC 9112 3.2.2); origin-form
// takes the Host header, else the connection default host. Errors say what is missing.
Result<Destination> request_destination(std::string_view target, std::string_view host_header,
                                        const ConnectionDefaults& defaults);

// For CONNECT: authority-form with a port.
Result<HostPort> connect_destination(std::string_view target);

}  // namespace jk::launcher::proxy
