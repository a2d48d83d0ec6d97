// What the listeners answer themselves, and what they pass to the handler.
#include "webhook/server/routes.h"

#include <gtest/gtest.h>

namespace jk::server {
namespace {

server::HttpRequest get(std::string_view target) { return {"GET", target, "", ""}; }

TEST(WebhookResponder, ReadinessNeedsTheServerAndTheRoutesReady) {
  struct Case {
    bool server_ready;  // false while draining or without certificates
    bool routes_ready;
    int status;
  };
  for (const Case& c : {Case{true, true, 200}, Case{true, false, 503}, Case{false, true, 503},
                        Case{false, false, 503}}) {
    const bool routes_ready = c.routes_ready;
    const bool server_ready = c.server_ready;
    auto respond = webhook_responder(Routes{nullptr, [=] { return routes_ready; }},
                                     [=] { return server_ready; });
    EXPECT_EQ(respond(get("/readyz")).status, c.status)
        << "server " << c.server_ready << " routes " << c.routes_ready;
  }
}

TEST(WebhookResponder, HealthIsAnsweredEvenWhenNotReady) {
  auto respond = webhook_responder(Routes{nullptr, [] { return false; }}, [] { return false; });
  const auto response = respond(get("/healthz?verbose"));
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "ok\n");
}

TEST(WebhookResponder, EverythingElseGoesToTheHandler) {
  auto respond = webhook_responder(
      Routes{[](const server::HttpRequest& r) {
               return server::HttpResponse{201, "text/plain", std::string(r.target)};
             },
             nullptr},
      [] { return true; });
  EXPECT_EQ(respond({"POST", "/healthz", "", ""}).status, 201) << "only GET is answered";
  EXPECT_EQ(respond(get("/mutate")).body, "/mutate");
}

TEST(MetricsResponder, ServesTheRegistryAsPrometheusText) {
  metrics::Registry registry;
  registry.counter("jailkeeper_test_total", "A test counter.").with({}).inc();
  bool ready = true;
  auto respond = metrics_responder(registry, [&] { return ready; });
  const auto metrics = respond(get("/metrics"));
  EXPECT_EQ(metrics.content_type, "text/plain; version=0.0.4");
  EXPECT_NE(metrics.body.find("jailkeeper_test_total 1\n"), std::string::npos);
  EXPECT_EQ(respond(get("/other")).status, 404);
  EXPECT_EQ(respond(get("/healthz")).status, 200);
  EXPECT_EQ(respond(get("/readyz")).status, 200);
  ready = false;
  EXPECT_EQ(respond(get("/readyz")).status, 503) << "the same readiness as the webhook port";
  EXPECT_EQ(respond(get("/healthz")).status, 200);
}

}  // namespace
}  // namespace jk::server
