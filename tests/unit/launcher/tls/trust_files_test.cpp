#include "launcher/tls/trust_files.h"

#include <gtest/gtest.h>
#include <openssl/x509_vfy.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "launcher/tls/authority.h"
#include "tests/unit/launcher/temp_dir.h"
#include "tests/unit/launcher/tls/x509_check.h"

namespace jk::launcher::tls {
namespace {

namespace fs = std::filesystem;
using launcher::testing::TempDir;

constexpr char kSystemRoots[] =
    "-----BEGIN CERTIFICATE-----\nSYSTEM ROOTS (not parsed)\n-----END CERTIFICATE-----";

std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

unsigned mode_of(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 ? (st.st_mode & 07777U) : 0U;
}

class TrustFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto created = Authority::create();
    ASSERT_TRUE(created.ok());
    authority_ = *created;
    system_bundle_ = tmp_.write("system.pem", kSystemRoots);
    out_ = tmp_.path() + "/trust/nested";
  }
  TrustFileOptions system(std::vector<std::string> bundles) {
    TrustFileOptions options;
    options.system_bundles = std::move(bundles);
    return options;
  }
  const std::string& ca() const { return authority_->ca_certificate_pem(); }

  TempDir tmp_;
  std::shared_ptr<Authority> authority_;
  std::string system_bundle_;
  std::string out_;
};

TEST_F(TrustFilesTest, BundleIsTheFirstExistingSystemBundleFollowedByOurCa) {
  const auto files =
      write_trust_files(out_, ca(), system({tmp_.path() + "/missing.pem", system_bundle_}));
  ASSERT_TRUE(files.ok()) << files.error().message;
  EXPECT_TRUE(files->has_system_roots);
  EXPECT_EQ(files->system_bundle, system_bundle_);
  EXPECT_EQ(files->ca_file, out_ + "/ca.pem");
  EXPECT_EQ(files->bundle_file, out_ + "/bundle.pem");
  EXPECT_EQ(files->cert_dir, out_ + "/certs");
  EXPECT_EQ(read(files->ca_file), ca());
  EXPECT_EQ(read(files->bundle_file), std::string(kSystemRoots) + "\n" + ca());
  EXPECT_EQ(read(files->cert_dir + "/bundle.pem"), read(files->bundle_file));
}

TEST_F(TrustFilesTest, WithoutASystemBundleTheBundleIsOurCaAloneAndSaysSo) {
  const auto files = write_trust_files(out_, ca(), system({tmp_.path() + "/missing.pem"}));
  ASSERT_TRUE(files.ok()) << files.error().message;
  EXPECT_FALSE(files->has_system_roots);
  EXPECT_EQ(files->system_bundle, "");
  EXPECT_EQ(read(files->bundle_file), ca());
}

TEST_F(TrustFilesTest, FilesAreWorldReadableWhateverTheUmaskAndHoldNoKey) {
  const mode_t old_umask = ::umask(077);
  const auto files = write_trust_files(out_, ca(), system({system_bundle_}));
  ::umask(old_umask);
  ASSERT_TRUE(files.ok()) << files.error().message;
  EXPECT_EQ(mode_of(out_), 0755U);
  EXPECT_EQ(mode_of(files->cert_dir), 0755U);
  for (const auto& entry : fs::recursive_directory_iterator(out_)) {
    if (!entry.is_regular_file()) continue;
    EXPECT_EQ(mode_of(entry.path().string()), 0644U) << entry.path();
    EXPECT_EQ(read(entry.path().string()).find("PRIVATE KEY"), std::string::npos) << entry.path();
  }
}

// OpenSSL finds our CA in SSL_CERT_DIR by subject hash, and in SSL_CERT_FILE.
TEST_F(TrustFilesTest, OpenSslVerifiesOurLeavesThroughEitherFile) {
  const auto files = write_trust_files(out_, ca(), system({}));
  ASSERT_TRUE(files.ok()) << files.error().message;
  const auto leaf = authority_->leaf_for("example.com");
  ASSERT_TRUE(leaf.ok());
  for (const bool by_dir : {true, false}) {
    SCOPED_TRACE(by_dir ? "cert dir" : "bundle file");
    X509StorePtr store(X509_STORE_new());
    ASSERT_EQ(X509_STORE_load_locations(store.get(), by_dir ? nullptr : files->bundle_file.c_str(),
                                        by_dir ? files->cert_dir.c_str() : nullptr),
              1);
    using StoreCtxPtr =
        std::unique_ptr<X509_STORE_CTX, OpenSslDeleter<X509_STORE_CTX, X509_STORE_CTX_free>>;
    StoreCtxPtr ctx(X509_STORE_CTX_new());
    X509_STORE_CTX_init(ctx.get(), store.get(), (*leaf)->certificate.get(), nullptr);
    EXPECT_EQ(X509_verify_cert(ctx.get()), 1)
        << X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx.get()));
  }
}

TEST_F(TrustFilesTest, RefusesAnythingButOneCertificate) {
  for (const std::string& pem : {std::string(), std::string("not a certificate"), ca() + ca()}) {
    const auto files = write_trust_files(out_, pem, system({}));
    ASSERT_FALSE(files.ok());
    EXPECT_EQ(files.error().message, "trust files: the CA PEM must hold exactly one certificate");
  }
  EXPECT_FALSE(fs::exists(out_));
}

TEST_F(TrustFilesTest, UnwritableDirectoryIsAnErrorNamingIt) {
  const std::string file = tmp_.write("plain-file", "x");
  const auto files = write_trust_files(file, ca(), system({}));
  ASSERT_FALSE(files.ok());
  EXPECT_EQ(files.error().message.rfind("create " + file + ": ", 0), 0u) << files.error().message;
}

TEST(TrustEnvironment, PointsEveryToolAtTheBundleAndNodeAtOurCaAlone) {
  TrustFiles files;
  files.ca_file = "/j/ca.pem";
  files.bundle_file = "/j/bundle.pem";
  files.cert_dir = "/j/certs";
  const auto env = trust_environment(files);
  const std::map<std::string, std::string> expected = {
      {"SSL_CERT_FILE", "/j/bundle.pem"},
      {"SSL_CERT_DIR", "/j/certs"},
      {"CURL_CA_BUNDLE", "/j/bundle.pem"},
      {"GIT_SSL_CAINFO", "/j/bundle.pem"},
      {"REQUESTS_CA_BUNDLE", "/j/bundle.pem"},
      {"NODE_EXTRA_CA_CERTS", "/j/ca.pem"},
      {"AWS_CA_BUNDLE", "/j/bundle.pem"},
      {"PIP_CERT", "/j/bundle.pem"},
      {"CARGO_HTTP_CAINFO", "/j/bundle.pem"},
      {"DENO_CERT", "/j/bundle.pem"},
      {"HEX_CACERTS_PATH", "/j/bundle.pem"},
      {"NPM_CONFIG_CAFILE", "/j/bundle.pem"},
      {"YARN_CAFILE", "/j/bundle.pem"},
      {"YARN_HTTPS_CA_FILE_PATH", "/j/bundle.pem"},
      {"BUNDLE_SSL_CA_CERT", "/j/bundle.pem"},
      {"GRPC_DEFAULT_SSL_ROOTS_FILE_PATH", "/j/bundle.pem"},
  };
  const std::map<std::string, std::string> actual(env.begin(), env.end());
  EXPECT_EQ(actual, expected);
  EXPECT_EQ(env.size(), expected.size()) << "no duplicates";
}

}  // namespace
}  // namespace jk::launcher::tls
