#pragma once
// Collects one request's audit record while it is handled and writes it once (internal).
#include <chrono>
#include <string>
#include <string_view>

#include "launcher/proxy/destination.h"
#include "launcher/proxy/proxy_context.h"
#include "launcher/requestlog/request_record.h"

namespace jk::launcher::proxy {

class RequestAudit {
 public:
  RequestAudit(const ProxyContext& context, std::string_view method);
  RequestAudit(const RequestAudit&) = delete;
  RequestAudit& operator=(const RequestAudit&) = delete;
  // Writes an error record if finish() was never called.
  ~RequestAudit();

  void set_destination(const Destination& destination);
  void set_target(std::string url, std::string host);
  void set_rule(const std::string& rule_text) { record_.rule = rule_text; }
  void add_bytes(std::uint64_t up, std::uint64_t down);
  void finish(requestlog::Decision decision, int upstream_status, std::string reason = {});

 private:
  const ProxyContext& context_;
  requestlog::RequestRecord record_;
  std::chrono::steady_clock::time_point start_;
  bool finished_ = false;
};

}  // namespace jk::launcher::proxy
