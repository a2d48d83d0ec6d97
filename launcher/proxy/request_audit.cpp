#include "launcher/proxy/request_audit.h"

#include "launcher/requestlog/request_log.h"

namespace jk::launcher::proxy {

RequestAudit::RequestAudit(const ProxyContext& context, std::string_view method)
    : context_(context), start_(std::chrono::steady_clock::now()) {
  record_.time = std::chrono::system_clock::now();
  record_.session_id = context.options.session_id;
  record_.jail = context.options.jail;
  record_.method = std::string(method);
}

RequestAudit::~RequestAudit() {
  if (!finished_) finish(requestlog::Decision::kError, 0, "connection ended");
}

void RequestAudit::set_destination(const Destination& destination) {
  set_target(destination.url(), destination.host);
}

void RequestAudit::set_target(std::string url, std::string host) {
  record_.url = std::move(url);
  record_.host = std::move(host);
}

void RequestAudit::add_bytes(std::uint64_t up, std::uint64_t down) {
  record_.bytes_up += up;
  record_.bytes_down += down;
}

void RequestAudit::finish(requestlog::Decision decision, int upstream_status, std::string reason) {
  if (finished_) return;
  finished_ = true;
  record_.decision = decision;
  record_.upstream_status = upstream_status;
  record_.reason = std::move(reason);
  record_.duration_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::steady_clock::now() - start_)
                            .count();
  if (context_.options.audit) context_.options.audit->record(std::move(record_));
}

}  // namespace jk::launcher::proxy
