// The TLS policy of the server context, read back from OpenSSL: TLS 1.2 floor, ECDHE + AEAD
// suites only for TLS 1.2, no compression, no renegotiation, client verification on demand.
#include "webhook/server/tls_context.h"

#include <gtest/gtest.h>
#include <openssl/ssl.h>

#include "tests/support/temp_certs.h"

namespace jk::server {
namespace {

class TlsContextTest : public ::testing::Test {
 protected:
  TlsContextTest() : files_(testing::write_server_certs(dir_.path(), ca_, 2)) {}
  testing::TempDir dir_;
  testing::TestCa ca_;
  testing::CertFiles files_;
};

TEST_F(TlsContextTest, ProtocolFloorIsTls12WithoutCompressionOrRenegotiation) {
  auto material = make_server_context(TlsFiles{files_.cert, files_.key, ""});
  ASSERT_TRUE(material.ok()) << material.error().message;
  SSL_CTX* ctx = material->context->native_handle();
  EXPECT_EQ(SSL_CTX_get_min_proto_version(ctx), TLS1_2_VERSION);
  EXPECT_NE(SSL_CTX_get_options(ctx) & SSL_OP_NO_COMPRESSION, 0U);
  EXPECT_NE(SSL_CTX_get_options(ctx) & SSL_OP_NO_RENEGOTIATION, 0U);
  EXPECT_EQ(SSL_CTX_get_verify_mode(ctx), SSL_VERIFY_NONE);
  EXPECT_GT(material->not_after, 0);
}

TEST_F(TlsContextTest, Tls12SuitesAreEcdheAndAeadOnly) {
  auto material = make_server_context(TlsFiles{files_.cert, files_.key, ""});
  ASSERT_TRUE(material.ok());
  STACK_OF(SSL_CIPHER)* ciphers = SSL_CTX_get_ciphers(material->context->native_handle());
  ASSERT_GT(sk_SSL_CIPHER_num(ciphers), 0);
  for (int i = 0; i < sk_SSL_CIPHER_num(ciphers); ++i) {
    const SSL_CIPHER* cipher = sk_SSL_CIPHER_value(ciphers, i);
    EXPECT_EQ(SSL_CIPHER_is_aead(cipher), 1) << SSL_CIPHER_get_name(cipher);
    const int kx = SSL_CIPHER_get_kx_nid(cipher);
    EXPECT_TRUE(kx == NID_kx_ecdhe || kx == NID_kx_any) << SSL_CIPHER_get_name(cipher);
  }
}

TEST_F(TlsContextTest, ClientCaTurnsOnMandatoryClientCertificates) {
  auto material = make_server_context(TlsFiles{files_.cert, files_.key, files_.ca});
  ASSERT_TRUE(material.ok()) << material.error().message;
  EXPECT_EQ(SSL_CTX_get_verify_mode(material->context->native_handle()),
            SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT);
}

TEST_F(TlsContextTest, UnusableFilesAreNamedInTheError) {
  const std::string garbage = dir_.file("garbage.pem");
  testing::write_file(garbage, "not a certificate");
  struct Case {
    TlsFiles files;
    std::string prefix;
  };
  for (const Case& c :
       {Case{{garbage, files_.key, ""}, "tls-cert " + garbage + ": no PEM"},
        Case{{files_.cert, garbage, ""}, "tls-key " + garbage + ": no PEM"},
        Case{{files_.cert, files_.key, "/nope"}, "client-ca /nope: No such file or directory"}}) {
    auto material = make_server_context(c.files);
    ASSERT_FALSE(material.ok()) << c.prefix;
    EXPECT_EQ(material.error().message.rfind(c.prefix, 0), 0U) << material.error().message;
  }
}

}  // namespace
}  // namespace jk::server
