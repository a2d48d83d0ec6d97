// UpstreamTls against local servers: our Authority (trusted via extra_ca_file or SSL_CERT_FILE),
// a self-signed server, and mismatching names.
#include "launcher/tls/upstream.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <optional>

#include "launcher/tls/authority.h"
#include "launcher/tls/certificate_factory.h"
#include "launcher/tls/key_type.h"
#include "tests/unit/launcher/temp_dir.h"
#include "tests/unit/launcher/tls/handshake.h"
#include "tests/unit/launcher/tls/x509_check.h"

namespace jk::launcher::tls {
namespace {

using launcher::testing::TempDir;
using testing::Handshake;

// Sets (or with nullopt unsets) an environment variable for one scope, then restores it.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const std::optional<std::string>& value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value) {
      ::setenv(name, value->c_str(), 1);
    } else {
      ::unsetenv(name);
    }
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;
  ~ScopedEnv() {
    if (old_) {
      ::setenv(name_, old_->c_str(), 1);
    } else {
      ::unsetenv(name_);
    }
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

UpstreamTlsOptions trusting_only(const std::string& ca_file) {
  UpstreamTlsOptions options;
  options.use_system_roots = false;
  options.extra_ca_file = ca_file;
  return options;
}

// A server context presenting a self-signed certificate.
SslCtxPtr self_signed_server() {
  auto key = generate_key(KeyType::kEcP256);
  const auto now = std::chrono::system_clock::now();
  auto cert =
      make_ca_certificate(key->get(), {now - std::chrono::hours(1), now + std::chrono::hours(1)});
  SslCtxPtr ctx(SSL_CTX_new(TLS_server_method()));
  SSL_CTX_use_certificate(ctx.get(), cert->get());
  SSL_CTX_use_PrivateKey(ctx.get(), key->get());
  return ctx;
}

class Upstream : public ::testing::Test {
 protected:
  void SetUp() override {
    auto created = Authority::create();
    ASSERT_TRUE(created.ok()) << created.error().message;
    authority_ = *created;
    ca_file_ = dir_.write("ca.pem", authority_->ca_certificate_pem());
  }

  // Connects with `upstream` to `server` (default: our Authority) as `host`.
  Handshake connect(const UpstreamTls& upstream, const std::string& host,
                    SSL_CTX* server = nullptr) {
    Handshake h = testing::make_pair(
        {upstream.context(), server != nullptr ? server : authority_->server_context()});
    EXPECT_TRUE(UpstreamTls::prepare(h.client.get(), host).ok());
    testing::run(h);
    return h;
  }

  TempDir dir_;
  std::shared_ptr<Authority> authority_;
  std::string ca_file_;
};

TEST_F(Upstream, VerifiesChainAndNameAndNegotiatesHttp11) {
  const auto upstream = UpstreamTls::create(trusting_only(ca_file_));
  ASSERT_TRUE(upstream.ok()) << upstream.error().message;
  for (const char* host : {"example.com", "Example.COM."}) {
    SCOPED_TRACE(host);
    Handshake h = connect(**upstream, host);
    ASSERT_TRUE(h.ok()) << h.client_error;
    EXPECT_EQ(h.alpn(), "http/1.1");
    EXPECT_STREQ(SSL_get_servername(h.server.get(), TLSEXT_NAMETYPE_host_name), "example.com");
  }
}

TEST_F(Upstream, IpLiteralsAreVerifiedAsAddressesAndSendNoSni) {
  const auto upstream = UpstreamTls::create(trusting_only(ca_file_));
  ASSERT_TRUE(upstream.ok());
  for (const char* ip : {"203.0.113.7", "[2001:db8::7]"}) {
    SCOPED_TRACE(ip);
    Handshake h = testing::make_pair({(*upstream)->context(), authority_->server_context()});
    ASSERT_TRUE(authority_->use_leaf_for(h.server.get(), ip).ok());
    ASSERT_TRUE(UpstreamTls::prepare(h.client.get(), ip).ok());
    testing::run(h);
    ASSERT_TRUE(h.ok()) << h.client_error;
    EXPECT_EQ(SSL_get_servername(h.server.get(), TLSEXT_NAMETYPE_host_name), nullptr);
  }
}

TEST_F(Upstream, FailuresAreExplainedInWords) {
  const auto upstream = UpstreamTls::create(trusting_only(ca_file_));
  ASSERT_TRUE(upstream.ok());
  const SslCtxPtr self_signed = self_signed_server();
  {
    Handshake h = connect(**upstream, "example.com", self_signed.get());
    EXPECT_FALSE(h.client_ok);
    EXPECT_EQ(describe_handshake_failure(h.client.get(), "example.com"),
              "certificate verify failed: self-signed certificate for host example.com");
  }
  {
    Handshake h = testing::make_pair({(*upstream)->context(), authority_->server_context()});
    ASSERT_TRUE(authority_->use_leaf_for(h.server.get(), "203.0.113.7").ok());
    ASSERT_TRUE(UpstreamTls::prepare(h.client.get(), "203.0.113.8").ok());
    testing::run(h);
    EXPECT_FALSE(h.client_ok);
    EXPECT_EQ(describe_handshake_failure(h.client.get(), "203.0.113.8"),
              "certificate verify failed: IP address mismatch for host 203.0.113.8");
  }
}

// The server side answers the ClientHello with `reply` (or with end-of-stream when empty).
std::string failure_after_reply(const UpstreamTls& upstream, SSL_CTX* server_ctx,
                                const std::string& reply) {
  Handshake h = testing::make_pair({upstream.context(), server_ctx});
  EXPECT_TRUE(UpstreamTls::prepare(h.client.get(), "example.com").ok());
  EXPECT_EQ(SSL_do_handshake(h.client.get()), -1);  // ClientHello sent, waiting
  BIO* server_side = SSL_get_wbio(h.server.get());
  if (reply.empty()) {
    BIO_shutdown_wr(server_side);
  } else {
    BIO_write(server_side, reply.data(), static_cast<int>(reply.size()));
  }
  EXPECT_NE(SSL_do_handshake(h.client.get()), 1);
  return describe_handshake_failure(h.client.get(), "example.com");
}

TEST_F(Upstream, NonTlsOrClosedUpstreamIsExplainedWithoutOpenSslCodes) {
  const auto upstream = UpstreamTls::create(trusting_only(ca_file_));
  ASSERT_TRUE(upstream.ok());
  const std::string plain_http = failure_after_reply(**upstream, authority_->server_context(),
                                                     "HTTP/1.1 400 Bad Request\r\n\r\n");
  EXPECT_EQ(plain_http, "TLS handshake with example.com failed: wrong version number");
  const std::string closed = failure_after_reply(**upstream, authority_->server_context(), "");
  EXPECT_EQ(closed.rfind("TLS handshake with example.com failed: ", 0), 0u) << closed;
  EXPECT_EQ(closed.find("error:"), std::string::npos) << closed;
}

TEST_F(Upstream, UntrustedCaIsRejected) {
  auto other = Authority::create();
  ASSERT_TRUE(other.ok());
  const auto upstream =
      UpstreamTls::create(trusting_only(dir_.write("other.pem", (*other)->ca_certificate_pem())));
  ASSERT_TRUE(upstream.ok());
  Handshake h = connect(**upstream, "example.com");
  EXPECT_FALSE(h.client_ok);
  EXPECT_EQ(describe_handshake_failure(h.client.get(), "example.com"),
            "certificate verify failed: unable to get local issuer certificate for host "
            "example.com");
}

TEST_F(Upstream, HonoursSslCertFileForTheLauncherItself) {
  const ScopedEnv file("SSL_CERT_FILE", ca_file_);
  const ScopedEnv dir("SSL_CERT_DIR", std::nullopt);
  UpstreamTlsOptions options;
  options.system_bundles = {};
  const auto upstream = UpstreamTls::create(options);
  ASSERT_TRUE(upstream.ok()) << upstream.error().message;
  EXPECT_EQ((*upstream)->system_roots(), "SSL_CERT_FILE/SSL_CERT_DIR");
  Handshake h = connect(**upstream, "example.com");
  EXPECT_TRUE(h.ok()) << h.client_error;
}

TEST_F(Upstream, SslCertFileReplacesTheSystemBundleInsteadOfAddingToIt) {
  auto other = Authority::create();
  ASSERT_TRUE(other.ok());
  const ScopedEnv file("SSL_CERT_FILE", dir_.write("other.pem", (*other)->ca_certificate_pem()));
  UpstreamTlsOptions options;
  options.system_bundles = {ca_file_};
  const auto upstream = UpstreamTls::create(options);
  ASSERT_TRUE(upstream.ok()) << upstream.error().message;
  Handshake h = connect(**upstream, "example.com");
  EXPECT_FALSE(h.client_ok);
}

TEST_F(Upstream, FallsBackToTheFirstExistingSystemBundle) {
  const ScopedEnv file("SSL_CERT_FILE", std::nullopt);
  const ScopedEnv dir("SSL_CERT_DIR", std::nullopt);
  UpstreamTlsOptions options;
  options.system_bundles = {dir_.path() + "/missing.pem", ca_file_};
  const auto upstream = UpstreamTls::create(options);
  ASSERT_TRUE(upstream.ok()) << upstream.error().message;
  EXPECT_EQ((*upstream)->system_roots(), ca_file_);
  Handshake h = connect(**upstream, "example.com");
  EXPECT_TRUE(h.ok()) << h.client_error;
}

TEST_F(Upstream, WithoutAnyRootsNothingVerifies) {
  const auto upstream = UpstreamTls::create(trusting_only(""));
  ASSERT_TRUE(upstream.ok());
  EXPECT_EQ((*upstream)->system_roots(), "");
  Handshake h = connect(**upstream, "example.com");
  EXPECT_FALSE(h.client_ok);
}

TEST(UpstreamTlsCreate, MissingExtraCaFileIsAnErrorNamingIt) {
  const auto upstream = UpstreamTls::create(trusting_only("/nonexistent/ca.pem"));
  ASSERT_FALSE(upstream.ok());
  EXPECT_NE(upstream.error().message.find("load extra CA file /nonexistent/ca.pem"),
            std::string::npos)
      << upstream.error().message;
}

TEST(UpstreamTlsPrepare, RefusesHostsThatAreNotNames) {
  const auto upstream = UpstreamTls::create(trusting_only(""));
  ASSERT_TRUE(upstream.ok());
  for (const char* host : {"", "*.example.com", "a b", "[::1"}) {
    SslPtr ssl(SSL_new((*upstream)->context()));
    const Status prepared = UpstreamTls::prepare(ssl.get(), host);
    ASSERT_FALSE(prepared.ok()) << host;
    EXPECT_EQ(prepared.error().message.rfind("upstream TLS: invalid TLS name", 0), 0u)
        << prepared.error().message;
  }
}

}  // namespace
}  // namespace jk::launcher::tls
