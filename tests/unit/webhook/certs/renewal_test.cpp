// When `certs` keeps the Secret's certificate and when it issues a new CA + certificate.
#include "webhook/certs/renewal.h"

#include <gtest/gtest.h>

#include "tests/unit/webhook/certs/certs_fixture.h"

namespace jk::certs {
namespace {

using testing::fixed_now;
using testing::issue_for_test;
using testing::kDay;

const RenewalPolicy kPolicy{{"svc.ns.svc", "svc.ns.svc.cluster.local"}, kDay * 30};

struct Case {
  std::string name;
  std::function<std::optional<TlsMaterial>()> secret;
  Clock::time_point now;
  bool issue;
  std::string reason;  // a substring of the decision's reason
};

TlsMaterial with(TlsMaterial m, std::string TlsMaterial::*field, std::string value) {
  m.*field = std::move(value);
  return m;
}

class RenewalTable : public ::testing::TestWithParam<Case> {};

TEST_P(RenewalTable, Decides) {
  const Case& c = GetParam();
  const auto d = decide_renewal(c.secret(), kPolicy, c.now);
  EXPECT_EQ(d.issue, c.issue) << d.reason;
  EXPECT_NE(d.reason.find(c.reason), std::string::npos) << d.reason;
}

const auto kNow = fixed_now();
const auto kFresh = [] { return std::optional(issue_for_test(kNow, 365)); };

INSTANTIATE_TEST_SUITE_P(
    Cases, RenewalTable,
    ::testing::Values(
        Case{"NoSecret", [] { return std::optional<TlsMaterial>(); }, kNow, true, "no Secret"},
        Case{"FreshCertificateIsKept", kFresh, kNow, false, "valid until 2031-01-01T00:00:00Z"},
        Case{"JustOutsideTheRenewWindowIsKept", kFresh, kNow + kDay * 334, false, "valid until"},
        Case{"InsideTheRenewWindowIsRenewed", kFresh, kNow + kDay * 335, true,
             "expires 2031-01-01T00:00:00Z, within 30 days"},
        Case{"ExpiredIsRenewed", kFresh, kNow + kDay * 400, true, "expires"},
        Case{"NotYetValidIsReplaced", kFresh, kNow - kDay, true, "not valid before"},
        Case{"MissingCertificate",
             [] { return std::optional(with(issue_for_test(), &TlsMaterial::cert_pem, "")); }, kNow,
             true, "no tls.crt"},
        Case{"MissingKey",
             [] { return std::optional(with(issue_for_test(), &TlsMaterial::key_pem, "")); }, kNow,
             true, "no tls.key"},
        Case{"MissingCa",
             [] { return std::optional(with(issue_for_test(), &TlsMaterial::ca_pem, "")); }, kNow,
             true, "no ca.crt"},
        Case{"KeyOfAnotherCertificate",
             [] {
               return std::optional(
                   with(issue_for_test(), &TlsMaterial::key_pem, issue_for_test().key_pem));
             },
             kNow, true, "tls.key: the private key does not belong"},
        Case{"CaThatDidNotSignIt",
             [] {
               return std::optional(
                   with(issue_for_test(), &TlsMaterial::ca_pem, issue_for_test().ca_pem));
             },
             kNow, true, "ca.crt: "},
        Case{"GarbageCertificate",
             [] { return std::optional(with(issue_for_test(), &TlsMaterial::cert_pem, "junk")); },
             kNow, true, "tls.crt: no PEM certificate"},
        Case{"CertificateForAnotherService",
             [] { return std::optional(issue_for_test(kNow, 365, "other")); }, kNow, true,
             "does not name svc.ns.svc"}),
    [](const auto& param_info) { return param_info.param.name; });

TEST(FormatTime, IsRfc3339Utc) { EXPECT_EQ(format_time(fixed_now()), "2030-01-01T00:00:00Z"); }

}  // namespace
}  // namespace jk::certs
