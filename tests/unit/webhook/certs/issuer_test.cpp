// The issued CA and serving certificate have the properties the API server and the webhook
// server rely on: names, usages, validity window, and a chain that verifies.
#include "webhook/certs/issuer.h"

#include <gtest/gtest.h>
#include <openssl/pem.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <memory>

#include "tests/unit/webhook/certs/certs_fixture.h"
#include "webhook/certs/certificate.h"

namespace jk::certs {
namespace {

using testing::fixed_now;
using testing::issue_for_test;
using testing::kDay;

struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};
using X509Ptr = std::unique_ptr<X509, X509Free>;

X509Ptr read(const std::string& pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  X509Ptr x(PEM_read_bio_X509(bio, nullptr, nullptr, nullptr));
  BIO_free(bio);
  return x;
}

// X509_verify_cert at a given time, with the server-auth purpose.
int verify_at(const std::string& leaf_pem, const std::string& ca_pem, Clock::time_point when) {
  auto leaf = read(leaf_pem);
  auto ca = read(ca_pem);
  X509_STORE* store = X509_STORE_new();
  X509_STORE_add_cert(store, ca.get());
  X509_STORE_CTX* ctx = X509_STORE_CTX_new();
  X509_STORE_CTX_init(ctx, store, leaf.get(), nullptr);
  X509_STORE_CTX_set_purpose(ctx, X509_PURPOSE_SSL_SERVER);
  X509_STORE_CTX_set_time(ctx, 0, Clock::to_time_t(when));
  const int ok = X509_verify_cert(ctx);
  const int err = X509_STORE_CTX_get_error(ctx);
  X509_STORE_CTX_free(ctx);
  X509_STORE_free(store);
  return ok == 1 ? X509_V_OK : err;
}

TEST(Issuer, LeafNamesTheServiceInSansAndCommonName) {
  const auto m = issue_for_test();
  auto leaf = parse_certificate(m.cert_pem);
  ASSERT_TRUE(leaf.ok()) << leaf.error().message;
  EXPECT_EQ(leaf->dns_names, (std::vector<std::string>{"svc.ns.svc", "svc.ns.svc.cluster.local"}));
  EXPECT_EQ(leaf->subject_cn, "svc.ns.svc");
  EXPECT_FALSE(leaf->is_ca);
}

TEST(Issuer, LeafIsForServerAuthWithDigitalSignatureOnly) {
  auto leaf = read(issue_for_test().cert_pem);
  ASSERT_TRUE(leaf);
  EXPECT_EQ(X509_get_key_usage(leaf.get()), static_cast<std::uint32_t>(KU_DIGITAL_SIGNATURE));
  EXPECT_EQ(X509_get_extended_key_usage(leaf.get()), static_cast<std::uint32_t>(XKU_SSL_SERVER));
}

TEST(Issuer, CaCanOnlySignCertificatesOneLevelDeep) {
  auto ca = read(issue_for_test().ca_pem);
  ASSERT_TRUE(ca);
  EXPECT_EQ(X509_check_ca(ca.get()), 1);
  EXPECT_EQ(X509_get_key_usage(ca.get()),
            static_cast<std::uint32_t>(KU_KEY_CERT_SIGN | KU_CRL_SIGN));
  EXPECT_EQ(X509_get_pathlen(ca.get()), 0);
}

TEST(Issuer, ValidityWindowsAreRelativeToNowWithSkewAllowance) {
  const auto m = issue_for_test(fixed_now(), 30);
  auto leaf = parse_certificate(m.cert_pem);
  auto ca = parse_certificate(m.ca_pem);
  ASSERT_TRUE(leaf.ok() && ca.ok());
  EXPECT_EQ(leaf->not_before, fixed_now() - kClockSkewAllowance);
  EXPECT_EQ(leaf->not_after, fixed_now() + kDay * 30);
  EXPECT_EQ(ca->not_after, leaf->not_after + kCaExtraLifetime);
}

TEST(Issuer, ChainVerifiesForServerAuthOnlyWhileValid) {
  const auto m = issue_for_test(fixed_now(), 30);
  EXPECT_EQ(verify_at(m.cert_pem, m.ca_pem, fixed_now()), X509_V_OK);
  EXPECT_EQ(verify_at(m.cert_pem, m.ca_pem, fixed_now() + kDay * 31), X509_V_ERR_CERT_HAS_EXPIRED);
  const auto other = issue_for_test(fixed_now(), 30);
  EXPECT_NE(verify_at(m.cert_pem, other.ca_pem, fixed_now()), X509_V_OK);
}

TEST(Issuer, KeyBelongsToTheLeafAndEachIssueIsFresh) {
  const auto a = issue_for_test();
  const auto b = issue_for_test();
  EXPECT_TRUE(check_key_matches(a.cert_pem, a.key_pem).ok());
  EXPECT_FALSE(check_key_matches(a.cert_pem, b.key_pem).ok());
  EXPECT_TRUE(check_signed_by(a.cert_pem, a.ca_pem).ok());
  EXPECT_FALSE(check_signed_by(a.cert_pem, b.ca_pem).ok());
  EXPECT_NE(a.ca_pem, b.ca_pem);
}

TEST(Issuer, RejectsRequestsWithoutNamesOrLifetime) {
  EXPECT_FALSE(issue_ca_and_leaf({"x", {}, kDay, fixed_now()}).ok());
  EXPECT_FALSE(issue_ca_and_leaf({"x", {"x"}, std::chrono::hours(0), fixed_now()}).ok());
}

TEST(Certificates, ParseEveryCertificateAndSkipKeys) {
  const auto m = issue_for_test();
  auto all = parse_certificates(m.key_pem + m.cert_pem + m.ca_pem);
  ASSERT_TRUE(all.ok()) << all.error().message;
  ASSERT_EQ(all->size(), 2U);
  EXPECT_FALSE((*all)[0].is_ca);
  EXPECT_TRUE((*all)[1].is_ca);
  EXPECT_EQ((*all)[1].pem, m.ca_pem);
  EXPECT_FALSE(parse_certificates(m.key_pem).ok());
  EXPECT_FALSE(parse_certificates("garbage").ok());
}

}  // namespace
}  // namespace jk::certs
