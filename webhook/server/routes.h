#pragma once
// What each listener answers. The webhook listener serves /healthz and /readyz itself and
// passes everything else to Routes::handle; the metrics listener serves /metrics, /healthz and
// /readyz (the same readiness: a probe there does not compete with reviews for connections).
#include <functional>

#include "common/metrics.h"
#include "webhook/server/http.h"
#include "webhook/server/server.h"

namespace jk::server {

HttpResponse health_response();
HttpResponse readiness_response(bool ready);

// `ready`: the server's own condition (certificates loaded, not draining).
std::function<HttpResponse(const HttpRequest&)> webhook_responder(
    Routes routes, std::function<bool()> server_ready);
// /metrics, /healthz, /readyz (`ready`: the whole readiness condition, the server's and the
// routes'), and /audit when `audit` is set.
std::function<HttpResponse(const HttpRequest&)> metrics_responder(
    const metrics::Registry& registry, std::function<bool()> ready,
    std::function<HttpResponse(const HttpRequest&)> audit = {});

}  // namespace jk::server
