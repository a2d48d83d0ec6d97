#pragma once
// Parses a request head from bytes with the proxy's limits, the same way the proxy does on the
// wire (Beast parser + request_destination). Used by the fuzz target and unit tests.
#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"
#include "launcher/proxy/destination.h"

namespace jk::launcher::proxy {

struct RequestHead {
  std::string method;
  std::string target;
  unsigned version = 0;  // 10 or 11
  std::string host_header;
  bool keep_alive = false;
  bool websocket_upgrade = false;
};

Result<RequestHead> parse_request_head(std::string_view bytes, std::uint32_t max_header_bytes);

}  // namespace jk::launcher::proxy
