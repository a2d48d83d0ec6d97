// Which CAs the webhook configuration trusts after a run.
#include "webhook/certs/ca_bundle.h"

#include <gtest/gtest.h>

#include "tests/unit/webhook/certs/certs_fixture.h"

namespace jk::certs {
namespace {

using testing::fixed_now;
using testing::issue_for_test;
using testing::kDay;

Certificate ca_of(const TlsMaterial& m) { return *parse_certificate(m.ca_pem); }

class CaBundle : public ::testing::Test {
 protected:
  Certificate current = ca_of(issue_for_test(fixed_now(), 365));
  Certificate previous = ca_of(issue_for_test(fixed_now() - kDay * 300, 365));  // until +65d
  Certificate expired = ca_of(issue_for_test(fixed_now() - kDay * 400, 365));
};

TEST_F(CaBundle, FreshInstallTrustsOnlyTheCurrentCa) {
  EXPECT_EQ(merge_ca_bundle(current, {}, fixed_now()), current.pem);
}

TEST_F(CaBundle, RotationKeepsThePreviousCaAfterTheNewOne) {
  EXPECT_EQ(merge_ca_bundle(current, {previous}, fixed_now()), current.pem + previous.pem);
}

TEST_F(CaBundle, ThePreviousCaIsDroppedOnceExpired) {
  EXPECT_EQ(merge_ca_bundle(current, {previous}, previous.not_after), current.pem);
  EXPECT_EQ(merge_ca_bundle(current, {expired, previous}, fixed_now()), current.pem + previous.pem);
}

TEST_F(CaBundle, DuplicatesFromSeveralWebhooksAndTheSecretCollapse) {
  // Two webhook entries with [current, previous] plus the Secret's old ca.crt.
  const std::vector<Certificate> seen{current, previous, current, previous, previous};
  EXPECT_EQ(merge_ca_bundle(current, seen, fixed_now()), current.pem + previous.pem);
}

TEST_F(CaBundle, RerunIsAFixedPoint) {
  const std::string once = merge_ca_bundle(current, {previous}, fixed_now());
  auto parsed = parse_certificates(once);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(merge_ca_bundle(current, *parsed, fixed_now()), once);
}

}  // namespace
}  // namespace jk::certs
