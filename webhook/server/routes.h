#pragma once
// What each listener answers. The webhook listener serves /healthz and /readyz itself and
// passes everything else to Routes::handle; the metrics listener serves /metrics, /healthz and
// /readyz (the same readiness: a probe there does not compete with reviews for connections).
#include <functional>

#include "common/metrics.h"
#include "webhook/handler/http.h"
#include "webhook/server/server.h"

namespace jk::server {

handler::HttpResponse health_response();
handler::HttpResponse readiness_response(bool ready);

// `ready`: the server's own condition (certificates loaded, not draining).
std::function<handler::HttpResponse(const handler::HttpRequest&)> webhook_responder(
    Routes routes, std::function<bool()> server_ready);
// /metrics, /healthz, /readyz (`ready`: the whole readiness condition, the server's and the
// routes'), and /audit when `audit` is set.
std::function<handler::HttpResponse(const handler::HttpRequest&)> metrics_responder(
    const metrics::Registry& registry, std::function<bool()> ready,
    std::function<handler::HttpResponse(const handler::HttpRequest&)> audit = {});

}  // namespace jk::server
