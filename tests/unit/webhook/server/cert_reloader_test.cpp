// CertReloader on its own: what counts as a change, and what a bad pair does.
#include "webhook/server/cert_reloader.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "tests/support/temp_certs.h"

namespace jk::server {
namespace {

using testing::CertFiles;
using testing::TempDir;
using testing::TestCa;
using testing::write_server_certs;
using Poll = CertReloader::PollResult;

class CertReloaderTest : public ::testing::Test {
 protected:
  CertReloaderTest()
      : files_(write_server_certs(dir_.path(), ca_, 2)),
        metrics_(registry_),
        reloader_(TlsFiles{files_.cert, files_.key, ""}, store_, metrics_) {}

  [[nodiscard]] std::uint64_t reloads(const std::string& result) {
    return metrics_.certificate_reloads.with({result}).value();
  }

  TempDir dir_;
  TestCa ca_;
  CertFiles files_;
  metrics::Registry registry_;
  ServerMetrics metrics_;
  TlsContextStore store_;
  CertReloader reloader_;
};

TEST_F(CertReloaderTest, LoadInstallsAContextAndTheExpiry) {
  ASSERT_TRUE(reloader_.load().ok());
  EXPECT_NE(store_.get(), nullptr);
  EXPECT_GT(metrics_.certificate_expiry.value(), 0.0);
  EXPECT_EQ(reloader_.poll(), Poll::kUnchanged);
}

TEST_F(CertReloaderTest, RewritingTheSameBytesIsNotAReload) {
  ASSERT_TRUE(reloader_.load().ok());
  const auto before = store_.get();
  const std::string cert = *read_file(files_.cert);
  std::filesystem::remove(files_.cert);  // new inode, same contents
  testing::write_file(files_.cert, cert);
  EXPECT_EQ(reloader_.poll(), Poll::kUnchanged);
  EXPECT_EQ(store_.get(), before);
}

TEST_F(CertReloaderTest, NewPairIsSwappedIn) {
  ASSERT_TRUE(reloader_.load().ok());
  const auto before = store_.get();
  write_server_certs(dir_.path(), ca_, 3);
  EXPECT_EQ(reloader_.poll(), Poll::kReloaded);
  EXPECT_NE(store_.get(), before);
  EXPECT_EQ(reloads("success"), 1U);
}

TEST_F(CertReloaderTest, HalfWrittenPairKeepsTheOldContextAndIsRetried) {
  ASSERT_TRUE(reloader_.load().ok());
  const auto before = store_.get();
  const testing::Issued next = ca_.issue(testing::IssueOptions{});
  testing::write_file(files_.cert, next.cert_pem);  // key not written yet
  EXPECT_EQ(reloader_.poll(), Poll::kFailed);
  EXPECT_EQ(store_.get(), before);
  EXPECT_EQ(reloads("failure"), 1U);
  testing::write_file(files_.key, next.key_pem.substr(0, next.key_pem.size() / 2));
  EXPECT_EQ(reloader_.poll(), Poll::kFailed);
  testing::write_file(files_.key, next.key_pem);
  EXPECT_EQ(reloader_.poll(), Poll::kReloaded);
  EXPECT_NE(store_.get(), before);
  EXPECT_EQ(reloads("failure"), 2U);
}

TEST_F(CertReloaderTest, LoadFailsWithTheFileInTheMessage) {
  std::filesystem::remove(files_.key);
  const Status status = reloader_.load();
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().message, "tls-key " + files_.key + ": No such file or directory");
}

}  // namespace
}  // namespace jk::server
