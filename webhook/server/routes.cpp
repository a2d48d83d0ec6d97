#include "webhook/server/routes.h"

#include <string_view>

namespace jk::server {
namespace {

constexpr int kOk = 200;
constexpr int kNotFound = 404;
constexpr int kUnavailable = 503;
constexpr const char* kTextPlain = "text/plain; charset=utf-8";
constexpr const char* kPrometheusText = "text/plain; version=0.0.4";

// The path without the query string.
std::string_view path_of(std::string_view target) { return target.substr(0, target.find('?')); }

bool is_get(const HttpRequest& request, std::string_view path) {
  return request.method == "GET" && path_of(request.target) == path;
}

}  // namespace

HttpResponse health_response() { return {kOk, kTextPlain, "ok\n"}; }

HttpResponse readiness_response(bool ready) {
  return ready ? HttpResponse{kOk, kTextPlain, "ready\n"}
               : HttpResponse{kUnavailable, kTextPlain, "not ready\n"};
}

std::function<HttpResponse(const HttpRequest&)> webhook_responder(
    Routes routes, std::function<bool()> server_ready) {
  return [routes = std::move(routes),
          server_ready = std::move(server_ready)](const HttpRequest& request) {
    if (is_get(request, "/healthz")) return health_response();
    if (is_get(request, "/readyz")) {
      return readiness_response(server_ready() && (!routes.ready || routes.ready()));
    }
    if (!routes.handle) return HttpResponse{kNotFound, kTextPlain, "not found\n"};
    return routes.handle(request);
  };
}

std::function<HttpResponse(const HttpRequest&)> metrics_responder(
    const metrics::Registry& registry, std::function<bool()> ready,
    std::function<HttpResponse(const HttpRequest&)> audit) {
  return
      [&registry, ready = std::move(ready), audit = std::move(audit)](const HttpRequest& request) {
        if (is_get(request, "/metrics")) {
          return HttpResponse{kOk, kPrometheusText, registry.render()};
        }
        if (is_get(request, "/healthz")) return health_response();
        if (is_get(request, "/readyz")) return readiness_response(ready());
        if (audit && path_of(request.target) == "/audit") return audit(request);
        return HttpResponse{kNotFound, kTextPlain, "not found\n"};
      };
}

}  // namespace jk::server
