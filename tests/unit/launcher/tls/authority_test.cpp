#include "launcher/tls/authority.h"

#include <gtest/gtest.h>
#include <openssl/x509v3.h>

#include <thread>
#include <vector>

#include "tests/unit/launcher/tls/x509_check.h"

namespace jk::launcher::tls {
namespace {

using std::chrono::hours;
using std::chrono::seconds;
using testing::verify;
using testing::VerifyRequest;
using TimePoint = std::chrono::system_clock::time_point;

std::shared_ptr<Authority> make_authority(AuthorityOptions options = {}) {
  auto authority = Authority::create(std::move(options));
  EXPECT_TRUE(authority.ok()) << authority.error().message;
  return authority.ok() ? *authority : nullptr;
}

AuthorityOptions with_capacity(std::size_t capacity) {
  AuthorityOptions options;
  options.leaf_cache_capacity = capacity;
  return options;
}

AuthorityOptions with_clock(Clock clock, seconds ca_validity = hours(24 * 7)) {
  AuthorityOptions options;
  options.clock = std::move(clock);
  options.ca_validity = ca_validity;
  return options;
}

bool is_critical(X509* cert, int nid) {
  const int index = X509_get_ext_by_NID(cert, nid, -1);
  return index >= 0 && X509_EXTENSION_get_critical(X509_get_ext(cert, index)) == 1;
}

struct KeyCase {
  KeyType type;
  int base_id;
  int bits;
};

TEST(Authority, CaCertificateIsAShortLivedConstrainedSelfSignedRoot) {
  for (const KeyCase c : {KeyCase{KeyType::kEcP256, EVP_PKEY_EC, 256},
                          KeyCase{KeyType::kRsa2048, EVP_PKEY_RSA, 2048}}) {
    SCOPED_TRACE(std::string(key_type_name(c.type)));
    const auto authority = Authority::create(c.type);
    ASSERT_TRUE(authority.ok()) << authority.error().message;
    X509* ca = (*authority)->ca_certificate();
    const X509Ptr from_pem = testing::parse_pem((*authority)->ca_certificate_pem());
    ASSERT_TRUE(from_pem);
    EXPECT_EQ(X509_cmp(ca, from_pem.get()), 0);
    EXPECT_EQ(EVP_PKEY_get_base_id(X509_get0_pubkey(ca)), c.base_id);
    EXPECT_EQ(EVP_PKEY_get_bits(X509_get0_pubkey(ca)), c.bits);
    EXPECT_EQ(X509_verify(ca, X509_get0_pubkey(ca)), 1) << "self-signed";
    EXPECT_EQ(testing::subject_common_name(ca).rfind("jailkeeper-launch CA ", 0), 0u);
    EXPECT_TRUE(testing::has_extension_flag(ca, EXFLAG_CA));
    EXPECT_EQ(X509_get_pathlen(ca), 0);
    EXPECT_TRUE(is_critical(ca, NID_basic_constraints));
    EXPECT_EQ(X509_get_key_usage(ca), static_cast<uint32_t>(KU_KEY_CERT_SIGN | KU_CRL_SIGN));
    EXPECT_TRUE(is_critical(ca, NID_key_usage));
    EXPECT_EQ(testing::lifetime(ca), hours(24 * 7) + hours(1)) << "7 days, backdated 1 h";
  }
}

TEST(Authority, EveryInstanceHasItsOwnCa) {
  const auto a = make_authority();
  const auto b = make_authority();
  ASSERT_TRUE(a && b);
  EXPECT_NE(testing::subject_common_name(a->ca_certificate()),
            testing::subject_common_name(b->ca_certificate()));
  EXPECT_NE(ASN1_INTEGER_cmp(X509_get0_serialNumber(a->ca_certificate()),
                             X509_get0_serialNumber(b->ca_certificate())),
            0);
  EXPECT_NE(a->ca_certificate_pem(), b->ca_certificate_pem());
}

TEST(Authority, LeafVerifiesAgainstTheCaForItsNameOnly) {
  const auto authority = make_authority();
  const auto other = make_authority();
  ASSERT_TRUE(authority && other);
  struct Case {
    std::string name, matches, mismatches;
    int mismatch_error;
  };
  const Case cases[] = {
      {"example.com", "example.com", "example.org", X509_V_ERR_HOSTNAME_MISMATCH},
      {"Sub.Example.COM.", "sub.example.com", "example.com", X509_V_ERR_HOSTNAME_MISMATCH},
      {"203.0.113.7", "203.0.113.7", "203.0.113.8", X509_V_ERR_IP_ADDRESS_MISMATCH},
      {"[2001:db8::7]", "2001:db8::7", "2001:db8::8", X509_V_ERR_IP_ADDRESS_MISMATCH},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const auto leaf = authority->leaf_for(c.name);
    ASSERT_TRUE(leaf.ok()) << leaf.error().message;
    X509* cert = (*leaf)->certificate.get();
    X509* ca = authority->ca_certificate();
    EXPECT_EQ(verify({cert, ca, c.matches, {}}), X509_V_OK);
    EXPECT_EQ(verify({cert, ca, c.mismatches, {}}), c.mismatch_error);
    EXPECT_NE(verify({cert, other->ca_certificate(), c.matches, {}}), X509_V_OK);
    EXPECT_FALSE(testing::has_extension_flag(cert, EXFLAG_CA));
    EXPECT_TRUE(X509_get_extended_key_usage(cert) & XKU_SSL_SERVER);
    EXPECT_EQ(testing::lifetime(cert), hours(24) + hours(1)) << "24 h, backdated 1 h";
  }
}

TEST(Authority, LeafForAVeryLongNameHasNoCommonNameButStillVerifies) {
  const auto authority = make_authority();
  ASSERT_TRUE(authority);
  const std::string name = std::string(60, 'a') + "." + std::string(60, 'b') + ".example";
  const auto leaf = authority->leaf_for(name);
  ASSERT_TRUE(leaf.ok()) << leaf.error().message;
  EXPECT_EQ(testing::subject_common_name((*leaf)->certificate.get()), "");
  EXPECT_EQ(verify({(*leaf)->certificate.get(), authority->ca_certificate(), name, {}}), X509_V_OK);
}

TEST(Authority, InvalidNamesAreRefusedAndNothingIsIssued) {
  const auto authority = make_authority();
  ASSERT_TRUE(authority);
  for (const char* name : {"", "*.example.com", "a..b", "evil.com,DNS:*", "x y"}) {
    const auto leaf = authority->leaf_for(name);
    EXPECT_FALSE(leaf.ok()) << name;
  }
  EXPECT_EQ(authority->cached_leaf_count(), 0u);
}

TEST(Authority, LeavesAreCachedPerCanonicalName) {
  const auto authority = make_authority();
  ASSERT_TRUE(authority);
  const auto first = authority->leaf_for("example.com");
  const auto again = authority->leaf_for("EXAMPLE.com.");
  const auto other = authority->leaf_for("example.org");
  ASSERT_TRUE(first.ok() && again.ok() && other.ok());
  EXPECT_EQ(first->get(), again->get());
  EXPECT_NE(first->get(), other->get());
  EXPECT_EQ(authority->cached_leaf_count(), 2u);
}

TEST(Authority, CacheDropsTheLeastRecentlyUsedName) {
  const auto authority = make_authority(with_capacity(2));
  ASSERT_TRUE(authority);
  const auto a = authority->leaf_for("a.test");
  const auto b = authority->leaf_for("b.test");
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_TRUE(authority->leaf_for("a.test").ok());  // a is now the most recent
  ASSERT_TRUE(authority->leaf_for("c.test").ok());  // evicts b
  EXPECT_EQ(authority->cached_leaf_count(), 2u);
  EXPECT_EQ(authority->leaf_for("a.test")->get(), a->get());
  EXPECT_NE(authority->leaf_for("b.test")->get(), b->get());
}

struct FakeClock {
  TimePoint now = std::chrono::time_point_cast<seconds>(std::chrono::system_clock::now());
  Clock clock() {
    return [this] { return now; };
  }
};

TEST(Authority, LeafIsReissuedWhenLessThanTheRenewalMarginRemains) {
  FakeClock time;
  const TimePoint start = time.now;
  const auto authority = make_authority(with_clock(time.clock()));
  ASSERT_TRUE(authority);
  const auto first = authority->leaf_for("example.com");
  ASSERT_TRUE(first.ok());
  EXPECT_EQ((*first)->not_after, start + hours(24));

  time.now = start + hours(23) - seconds(1);  // more than 1 h left
  EXPECT_EQ(authority->leaf_for("example.com")->get(), first->get());

  time.now = start + hours(23);  // exactly 1 h left: renew
  const auto renewed = authority->leaf_for("example.com");
  ASSERT_TRUE(renewed.ok());
  EXPECT_NE(renewed->get(), first->get());
  EXPECT_EQ((*renewed)->not_after, time.now + hours(24));
  EXPECT_EQ(
      verify({(*renewed)->certificate.get(), authority->ca_certificate(), "example.com", time.now}),
      X509_V_OK);
  EXPECT_EQ(
      verify({(*first)->certificate.get(), authority->ca_certificate(), "", start + hours(25)}),
      X509_V_ERR_CERT_HAS_EXPIRED);
}

TEST(Authority, LeafNeverOutlivesTheCa) {
  FakeClock time;
  const auto authority = make_authority(with_clock(time.clock(), hours(3)));
  ASSERT_TRUE(authority);
  const auto leaf = authority->leaf_for("example.com");
  ASSERT_TRUE(leaf.ok());
  EXPECT_EQ((*leaf)->not_after, time.now + hours(3));
  EXPECT_EQ(authority->ca_not_after(), time.now + hours(3));
  // Less than the renewal margin left, but a new leaf could not live longer: no re-issue.
  const TimePoint start = time.now;
  time.now = start + hours(2) + std::chrono::minutes(30);
  EXPECT_EQ(authority->leaf_for("example.com")->get(), leaf->get());
}

TEST(Authority, IssuesConcurrentlyFromManyThreads) {
  const auto authority = make_authority(with_capacity(8));
  ASSERT_TRUE(authority);
  constexpr int kThreads = 4;
  constexpr int kPerThread = 25;
  std::vector<int> failures(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        const std::string name = "host" + std::to_string(i % 12) + ".test";
        if (!authority->leaf_for(name).ok()) ++failures[static_cast<std::size_t>(t)];
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures, std::vector<int>(kThreads, 0));
  EXPECT_EQ(authority->cached_leaf_count(), 8u);
}

}  // namespace
}  // namespace jk::launcher::tls
