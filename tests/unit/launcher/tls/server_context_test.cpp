// Handshakes against Authority::server_context(), as a jailed client would see them.
#include <gtest/gtest.h>

#include "launcher/tls/authority.h"
#include "tests/unit/launcher/tls/handshake.h"
#include "tests/unit/launcher/tls/x509_check.h"

namespace jk::launcher::tls {
namespace {

using testing::Handshake;

// A client that trusts only `ca`, verifies the host, and offers h2 before http/1.1.
SslCtxPtr client_trusting(X509* ca) {
  SslCtxPtr ctx(SSL_CTX_new(TLS_client_method()));
  X509_STORE_add_cert(SSL_CTX_get_cert_store(ctx.get()), ca);
  SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_PEER, nullptr);
  static constexpr unsigned char kOffer[] = "\x02h2\x08http/1.1";
  SSL_CTX_set_alpn_protos(ctx.get(), kOffer, sizeof(kOffer) - 1);
  return ctx;
}

void expect_host(SSL* client, const std::string& sni, const std::string& verify_as) {
  if (!sni.empty())
    SSL_ctrl(client, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
             const_cast<char*>(sni.c_str()));
  if (X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(client), verify_as.c_str()) != 1) {
    SSL_set1_host(client, verify_as.c_str());
  }
}

class ServerContext : public ::testing::Test {
 protected:
  void SetUp() override {
    auto created = Authority::create();
    ASSERT_TRUE(created.ok()) << created.error().message;
    authority_ = *created;
    client_ctx_ = client_trusting(authority_->ca_certificate());
  }
  Handshake pair() { return testing::make_pair({client_ctx_.get(), authority_->server_context()}); }

  std::shared_ptr<Authority> authority_;
  SslCtxPtr client_ctx_;
};

TEST_F(ServerContext, SniGetsAVerifiableLeafAndAlpnHttp11NeverH2) {
  for (const int max_version : {TLS1_3_VERSION, TLS1_2_VERSION}) {
    SCOPED_TRACE(max_version);
    Handshake h = pair();
    SSL_set_max_proto_version(h.client.get(), max_version);
    expect_host(h.client.get(), "example.com", "example.com");
    testing::run(h);
    ASSERT_TRUE(h.ok()) << h.client_error;
    EXPECT_EQ(SSL_get_verify_result(h.client.get()), X509_V_OK);
    EXPECT_EQ(SSL_version(h.client.get()), max_version);
    EXPECT_EQ(h.alpn(), "http/1.1");
    EXPECT_EQ(testing::subject_common_name(h.server_certificate().get()), "example.com");
  }
}

TEST(ServerContextRsa, RsaAuthorityServesTls12AndTls13) {
  auto authority = Authority::create(KeyType::kRsa2048);
  ASSERT_TRUE(authority.ok()) << authority.error().message;
  const SslCtxPtr client_ctx = client_trusting((*authority)->ca_certificate());
  for (const int max_version : {TLS1_3_VERSION, TLS1_2_VERSION}) {
    SCOPED_TRACE(max_version);
    Handshake h = testing::make_pair({client_ctx.get(), (*authority)->server_context()});
    SSL_set_max_proto_version(h.client.get(), max_version);
    expect_host(h.client.get(), "example.com", "example.com");
    testing::run(h);
    ASSERT_TRUE(h.ok()) << h.client_error;
    EXPECT_EQ(SSL_version(h.client.get()), max_version);
  }
}

TEST_F(ServerContext, ClientWithoutAlpnStillConnects) {
  Handshake h = pair();
  SSL_set_alpn_protos(h.client.get(), nullptr, 0);
  expect_host(h.client.get(), "example.com", "example.com");
  testing::run(h);
  ASSERT_TRUE(h.ok()) << h.client_error;
  EXPECT_EQ(h.alpn(), "");
}

TEST_F(ServerContext, WithoutSniTheLeafInstalledForTheDestinationIsUsed) {
  Handshake h = pair();
  ASSERT_TRUE(authority_->use_leaf_for(h.server.get(), "203.0.113.7").ok());
  expect_host(h.client.get(), "", "203.0.113.7");
  testing::run(h);
  ASSERT_TRUE(h.ok()) << h.client_error;
  EXPECT_EQ(SSL_get_servername(h.server.get(), TLSEXT_NAMETYPE_host_name), nullptr);
}

TEST_F(ServerContext, SniReplacesTheLeafInstalledForTheDestination) {
  Handshake h = pair();
  ASSERT_TRUE(authority_->use_leaf_for(h.server.get(), "203.0.113.7").ok());
  expect_host(h.client.get(), "api.example.com", "api.example.com");
  testing::run(h);
  ASSERT_TRUE(h.ok()) << h.client_error;
}

TEST_F(ServerContext, WithoutSniAndWithoutDestinationTheHandshakeFails) {
  Handshake h = pair();
  expect_host(h.client.get(), "", "203.0.113.7");
  testing::run(h);
  EXPECT_FALSE(h.server_ok);
  EXPECT_FALSE(h.client_ok);
}

TEST_F(ServerContext, InvalidSniIsRefusedWithUnrecognizedName) {
  for (const char* sni : {"*.example.com", "bad name", "a..b"}) {
    SCOPED_TRACE(sni);
    Handshake h = pair();
    expect_host(h.client.get(), sni, "example.com");
    testing::run(h);
    EXPECT_FALSE(h.server_ok);
    EXPECT_FALSE(h.client_ok);
    EXPECT_NE(h.client_error.find("unrecognized name"), std::string::npos) << h.client_error;
  }
  EXPECT_EQ(authority_->cached_leaf_count(), 0u);
}

TEST_F(ServerContext, ClientTrustingAnotherCaRejectsTheLeaf) {
  auto other = Authority::create();
  ASSERT_TRUE(other.ok());
  client_ctx_ = client_trusting((*other)->ca_certificate());
  Handshake h = pair();
  expect_host(h.client.get(), "example.com", "example.com");
  testing::run(h);
  EXPECT_FALSE(h.client_ok);
  EXPECT_EQ(SSL_get_verify_result(h.client.get()), X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY);
}

}  // namespace
}  // namespace jk::launcher::tls
