// The webhook's HTTPS server, end to end: a real Server on 127.0.0.1:0 with certificates made
// at test time, and a real TLS client that verifies the CA and the host name.
#include <gtest/gtest.h>

#include <atomic>
#include <string>

#include "tests/support/temp_certs.h"
#include "tests/unit/webhook/server/server_fixture.h"
#include "tests/unit/webhook/server/test_client.h"

namespace jk::testing {
namespace {

server::HttpResponse echo(const server::HttpRequest& request) {
  return {200, "application/json",
          std::string(request.method) + " " + std::string(request.target) + " " +
              std::string(request.content_type) + " " + std::string(request.body)};
}

class ServerTest : public ::testing::Test {
 protected:
  ServerTest() : files_(write_server_certs(dir_.path(), ca_, 2)) {}

  RunningServer& start(server::Routes routes = {echo, nullptr}) {
    running_.emplace(test_options(files_), std::move(routes));
    return *running_;
  }
  RunningServer& start(const server::ServerOptions& options, server::Routes routes) {
    running_.emplace(options, std::move(routes));
    return *running_;
  }
  [[nodiscard]] TlsClient client() const { return TlsClient(trusting(ca_.cert_pem())); }
  Reply one_request(const std::string& method, const std::string& target,
                    const std::string& body = {}) {
    TlsClient c = client();
    if (auto ec = c.connect(running_->port())) return failed(ec);
    return c.request(method, target, body, "application/json");
  }

  TempDir dir_;
  TestCa ca_;
  CertFiles files_;
  std::optional<RunningServer> running_;
};

TEST_F(ServerTest, PostIsRoutedToTheHandlerAndAnswered) {
  start();
  const Reply reply = one_request("POST", "/mutate?timeout=10s", R"({"kind":"AdmissionReview"})");
  ASSERT_FALSE(reply.ec) << reply.ec.message();
  EXPECT_EQ(reply.status, 200U);
  EXPECT_EQ(reply.content_type, "application/json");
  EXPECT_EQ(reply.body, R"(POST /mutate?timeout=10s application/json {"kind":"AdmissionReview"})");
}

TEST_F(ServerTest, KeepAliveServesTwoRequestsOnOneConnection) {
  start();
  TlsClient c = client();
  ASSERT_FALSE(c.connect(running_->port()));
  const Reply first = c.request("POST", "/mutate", "one");
  const Reply second = c.request("POST", "/mutate", "two");
  ASSERT_FALSE(second.ec) << second.ec.message();
  EXPECT_TRUE(first.keep_alive);
  EXPECT_EQ(first.body, "POST /mutate  one");
  EXPECT_EQ(second.body, "POST /mutate  two");
}

TEST_F(ServerTest, HealthAndReadinessAreAnsweredByTheServer) {
  struct Case {
    const char* target;
    bool ready;
    unsigned status;
  };
  for (const Case& c : {Case{"/healthz", true, 200}, Case{"/healthz", false, 200},
                        Case{"/readyz", true, 200}, Case{"/readyz", false, 503}}) {
    const bool ready = c.ready;
    start(server::Routes{echo, [ready] { return ready; }});
    const Reply reply = one_request("GET", c.target);
    EXPECT_EQ(reply.status, c.status) << c.target << " ready=" << c.ready;
    running_.reset();
  }
}

TEST_F(ServerTest, HealthzBodyIsOk) {
  start();
  EXPECT_EQ(one_request("GET", "/healthz").body, "ok\n");
}

TEST_F(ServerTest, BodyOverTheLimitIsRefusedWith413NamingTheLimit) {
  start();
  const Reply reply = one_request("POST", "/mutate", std::string(2048, 'x'));
  EXPECT_EQ(reply.status, 413U);
  EXPECT_EQ(reply.body, "request body exceeds the limit of 1024 bytes\n");
  EXPECT_FALSE(reply.keep_alive);
}

TEST_F(ServerTest, HeaderOverTheLimitIsRefusedWith431) {
  start();
  TlsClient c = client();
  ASSERT_FALSE(c.connect(running_->port()));
  const Reply reply =
      c.raw("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(4096, 'a') + "\r\n\r\n");
  EXPECT_EQ(reply.status, 431U);
}

TEST_F(ServerTest, MalformedHttpIsAnswered400AndTheServerKeepsServing) {
  start();
  TlsClient c = client();
  ASSERT_FALSE(c.connect(running_->port()));
  const Reply reply = c.raw("\x01\x02 garbage \xff\r\n\r\n");
  EXPECT_EQ(reply.status, 400U);
  EXPECT_FALSE(reply.keep_alive);
  EXPECT_EQ(one_request("POST", "/mutate", "after").status, 200U);
}

TEST_F(ServerTest, GarbageInsteadOfATlsHandshakeIsClosedAndCounted) {
  start();
  EXPECT_EQ(tcp_exchange(running_->port(), std::string(512, '\x16')).find("HTTP"),
            std::string::npos);
  EXPECT_TRUE(eventually([&] {
    return metric_value(running_->registry(), "jailkeeper_tls_handshake_failures_total") >= 1.0;
  }));
  EXPECT_EQ(one_request("POST", "/mutate", "after").status, 200U);
}

TEST_F(ServerTest, HandlerExceptionBecomes500) {
  start(server::Routes{
      [](const server::HttpRequest&) -> server::HttpResponse { throw std::runtime_error("boom"); },
      nullptr});
  EXPECT_EQ(one_request("POST", "/mutate").status, 500U);
}

TEST_F(ServerTest, MetricsEndpointRendersPrometheusText) {
  start();
  ASSERT_EQ(one_request("POST", "/mutate").status, 200U);
  const Reply reply = http_get(running_->metrics_port(), "/metrics");
  ASSERT_FALSE(reply.ec) << reply.ec.message();
  EXPECT_EQ(reply.status, 200U);
  EXPECT_EQ(reply.content_type, "text/plain; version=0.0.4");
  EXPECT_NE(reply.body.find("jailkeeper_http_requests_total{code=\"200\"} 1"), std::string::npos)
      << reply.body;
  EXPECT_NE(reply.body.find("jailkeeper_certificate_expiry_timestamp_seconds "), std::string::npos);
  EXPECT_EQ(http_get(running_->metrics_port(), "/healthz").status, 200U);
  EXPECT_EQ(http_get(running_->metrics_port(), "/nope").status, 404U);
}

// The response head byte for byte (plain HTTP on the metrics listener shows the wire): the status
// line in the request's version, Server, Content-Type, the Connection header that the version
// needs to say what happens next, and Content-Length (in the order Beast's serializer wrote).
TEST_F(ServerTest, ResponsesAreWrittenInTheRequestsHttpVersion) {
  start();
  const auto port = running_->metrics_port();
  EXPECT_EQ(tcp_exchange(port, "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
            "HTTP/1.1 200 OK\r\nServer: jailkeeper\r\nContent-Type: text/plain; charset=utf-8\r\n"
            "Connection: close\r\nContent-Length: 3\r\n\r\nok\n");
  EXPECT_EQ(tcp_exchange(port, "GET /nope HTTP/1.0\r\n\r\n"),
            "HTTP/1.0 404 Not Found\r\nServer: jailkeeper\r\nContent-Type: text/plain; "
            "charset=utf-8\r\nContent-Length: 10\r\n\r\nnot found\n");
  // HTTP/1.0 with keep-alive: the answer says it stays open, and a second request is served.
  const std::string two_requests =
      "GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"
      "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  EXPECT_EQ(tcp_exchange(port, two_requests),
            "HTTP/1.0 200 OK\r\nServer: jailkeeper\r\nContent-Type: text/plain; charset=utf-8\r\n"
            "Connection: keep-alive\r\nContent-Length: 3\r\n\r\nok\n"
            "HTTP/1.1 200 OK\r\nServer: jailkeeper\r\nContent-Type: text/plain; charset=utf-8\r\n"
            "Connection: close\r\nContent-Length: 3\r\n\r\nok\n");
  // A refusal closes the connection: Connection: close even in HTTP/1.1 keep-alive.
  EXPECT_EQ(tcp_exchange(port, "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: x\r\n\r\n"),
            "HTTP/1.1 400 Bad Request\r\nServer: jailkeeper\r\nContent-Type: text/plain; "
            "charset=utf-8\r\nConnection: close\r\nContent-Length: 38\r\n\r\n"
            "malformed request: bad Content-Length\n");
}

// Connection limits, reclaiming and refusing: robustness_test.cpp.

}  // namespace
}  // namespace jk::testing
