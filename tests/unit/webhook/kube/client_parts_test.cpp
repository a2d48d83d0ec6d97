// The API client's building blocks: token rotation, backoff, TLS configuration errors.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "tests/support/temp_certs.h"
#include "webhook/kube/backoff.h"
#include "webhook/kube/http_client.h"
#include "webhook/kube/token_source.h"

namespace jk::kube {
namespace {

using namespace std::chrono_literals;
using jk::testing::TempDir;
using jk::testing::write_file;

TEST(TokenSource, AFixedTokenIsAlwaysTheSame) {
  TokenSource token("abc", "");
  EXPECT_EQ(*token.current(), "abc");
  token.invalidate();
  EXPECT_EQ(*token.current(), "abc");
}

TEST(TokenSource, ATokenFileIsCachedUntilInvalidatedOrTooOld) {
  TempDir dir;
  const std::string file = dir.file("token");
  write_file(file, "one\n");
  TokenSource cached("", file, std::chrono::hours(1));
  TokenSource expiring("", file, 0s);
  EXPECT_EQ(*cached.current(), "one");
  EXPECT_EQ(*expiring.current(), "one");

  write_file(file, "two\n");
  EXPECT_EQ(*cached.current(), "one") << "younger than max age";
  EXPECT_EQ(*expiring.current(), "two") << "older than max age";
  cached.invalidate();  // after a 401
  EXPECT_EQ(*cached.current(), "two");
}

TEST(TokenSource, KeepsTheLastGoodTokenWhenTheFileGoesAway) {
  TempDir dir;
  const std::string file = dir.file("token");
  TokenSource token("", file, 0s);
  EXPECT_FALSE(token.current().ok()) << "never read: an error";
  write_file(file, "good");
  EXPECT_EQ(*token.current(), "good");
  std::filesystem::remove(file);
  ASSERT_TRUE(token.current().ok());
  EXPECT_EQ(*token.current(), "good");
}

TEST(Backoff, DoublesUpToTheMaximumWithJitterAndResets) {
  Backoff backoff(100ms, 350ms);
  const std::vector<std::chrono::milliseconds> nominal = {100ms, 200ms, 350ms, 350ms};
  for (const auto expected : nominal) {
    const auto delay = backoff.next();
    EXPECT_GE(delay, expected / 2);
    EXPECT_LE(delay, expected);
  }
  backoff.reset();
  EXPECT_LE(backoff.next(), 100ms);
}

ClientConfig tls_config(std::string ca, std::string cert, std::string key) {
  ClientConfig config;
  config.ca_pem = std::move(ca);
  config.client_cert_pem = std::move(cert);
  config.client_key_pem = std::move(key);
  return config;
}

TEST(HttpClientCreate, BadTlsMaterialIsAnErrorThatNamesTheField) {
  const jk::testing::TestCa ca;
  const auto issued = ca.issue({.common_name = "admin", .client = true});
  struct Case {
    std::string name;
    ClientConfig config;
    std::string error;
  };
  const std::vector<Case> cases = {
      {"CA that is not PEM", tls_config("not a certificate", "", ""), "certificate-authority"},
      {"client certificate that is not PEM", tls_config(ca.cert_pem(), "junk", issued.key_pem),
       "client-certificate"},
      {"client key that is not PEM", tls_config(ca.cert_pem(), issued.cert_pem, "junk"),
       "client-key"},
  };
  for (const auto& c : cases) {
    auto created = HttpClient::create(c.config);
    ASSERT_FALSE(created.ok()) << c.name;
    EXPECT_NE(created.error().message.find(c.error), std::string::npos)
        << c.name << ": " << created.error().message;
  }

  EXPECT_TRUE(HttpClient::create(tls_config(ca.cert_pem(), issued.cert_pem, issued.key_pem)).ok())
      << "a valid client certificate and key";
}

}  // namespace
}  // namespace jk::kube
