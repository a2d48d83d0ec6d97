// TLS policy of the webhook listener: protocol floor, client certificates, and certificate
// rotation through a Kubernetes-style Secret volume (atomic `..data` symlink swap).
#include <gtest/gtest.h>
#include <openssl/ssl.h>

#include <cstdio>
#include <filesystem>

#include "tests/support/temp_certs.h"
#include "tests/unit/webhook/server/server_fixture.h"
#include "tests/unit/webhook/server/test_client.h"

namespace jk::testing {
namespace {

server::HttpResponse ok(const server::HttpRequest&) { return {200, "text/plain", "handled"}; }

class TlsTest : public ::testing::Test {
 protected:
  TempDir dir_;
  TestCa ca_;
};

TEST_F(TlsTest, Tls11ClientIsRefused) {
  const CertFiles files = write_server_certs(dir_.path(), ca_, 2);
  RunningServer running(test_options(files), {ok, nullptr});
  ClientOptions tls11 = trusting(ca_.cert_pem());
  tls11.max_version = TLS1_1_VERSION;
  TlsClient old_client(tls11);
  EXPECT_TRUE(old_client.connect(running.port()));
  EXPECT_TRUE(eventually([&] {
    return metric_value(running.registry(), "jailkeeper_tls_handshake_failures_total") >= 1.0;
  }));
  TlsClient modern(trusting(ca_.cert_pem()));
  EXPECT_FALSE(modern.connect(running.port()));
}

// Key exchange is X25519, P-256 or P-384: a client offering only finite-field groups (whose
// handshakes cost the server up to ~150 ms of CPU each, ffdhe8192) or other curves is refused.
TEST_F(TlsTest, OnlyEcdheGroupsX25519P256P384AreAccepted) {
  const CertFiles files = write_server_certs(dir_.path(), ca_, 2);
  RunningServer running(test_options(files), {ok, nullptr});
  struct Case {
    int version;
    const char* offered;
    const char* negotiated;  // nullptr: refused
  };
  // TLS 1.2 also needs the certificate's curve (P-256) among the client's groups.
  for (const Case& c :
       {Case{TLS1_3_VERSION, "X25519", "X25519"}, Case{TLS1_3_VERSION, "P-256", "prime256v1"},
        Case{TLS1_3_VERSION, "P-384", "secp384r1"},
        Case{TLS1_3_VERSION, "ffdhe8192:P-384", "secp384r1"},
        Case{TLS1_3_VERSION, "ffdhe2048", nullptr}, Case{TLS1_3_VERSION, "ffdhe8192", nullptr},
        Case{TLS1_3_VERSION, "P-521", nullptr}, Case{TLS1_3_VERSION, "X448", nullptr},
        Case{TLS1_2_VERSION, "X25519:P-256", "X25519"},
        Case{TLS1_2_VERSION, "P-384:P-256", "prime256v1"},  // server order
        Case{TLS1_2_VERSION, "ffdhe2048:ffdhe8192", nullptr},
        Case{TLS1_2_VERSION, "P-521:X448", nullptr}}) {
    ClientOptions options = trusting(ca_.cert_pem());
    options.groups = c.offered;
    options.max_version = c.version;
    TlsClient client(options);
    const auto ec = client.connect(running.port());
    const std::string what =
        std::string(c.offered) + (c.version == TLS1_3_VERSION ? " TLS 1.3" : " TLS 1.2");
    if (c.negotiated == nullptr) {
      EXPECT_TRUE(ec) << what << " must be refused";
      continue;
    }
    ASSERT_FALSE(ec) << what << ": " << ec.message();
    EXPECT_EQ(client.negotiated_group(), c.negotiated) << what;
    EXPECT_EQ(client.request("GET", "/healthz").status, 200U) << what;
  }
}

TEST_F(TlsTest, ClientCertificateIsRequiredWhenClientCaIsSet) {
  const CertFiles files = write_server_certs(dir_.path(), ca_, 2);
  TestCa client_ca("client CA");
  server::ServerOptions options = test_options(files);
  options.client_ca = dir_.file("client-ca.pem");
  write_file(options.client_ca, client_ca.cert_pem());
  RunningServer running(options, {ok, nullptr});

  TlsClient anonymous(trusting(ca_.cert_pem()));
  const bool refused = anonymous.connect(running.port()) ||
                       anonymous.request("POST", "/mutate").status != 200;  // TLS 1.3: late
  EXPECT_TRUE(refused);

  IssueOptions apiserver;
  apiserver.common_name = "kube-apiserver";
  apiserver.client = true;
  ClientOptions with_cert = trusting(ca_.cert_pem());
  with_cert.client_cert = client_ca.issue(apiserver);
  TlsClient authenticated(with_cert);
  ASSERT_FALSE(authenticated.connect(running.port()));
  EXPECT_EQ(authenticated.request("POST", "/mutate").status, 200U);
}

// Lays out files like a Kubernetes Secret volume: tls.crt -> ..data/tls.crt, ..data -> ..vN.
class SecretVolume {
 public:
  SecretVolume(const std::string& root, const TestCa& ca) : root_(root), ca_(ca) {}
  void publish(int version, long serial) {
    const std::string dir = root_ + "/..v" + std::to_string(version);
    std::filesystem::create_directory(dir);
    write_server_certs(dir, ca_, serial);
    const std::string tmp = root_ + "/..data_tmp";
    std::filesystem::create_directory_symlink("..v" + std::to_string(version), tmp);
    std::filesystem::rename(tmp, root_ + "/..data");  // atomic replace, as kubelet does
    for (const char* name : {"tls.crt", "tls.key"}) {
      const std::string link = root_ + "/" + name;
      if (!std::filesystem::is_symlink(link)) {
        std::filesystem::create_symlink(std::string("..data/") + name, link);
      }
    }
  }
  [[nodiscard]] CertFiles files() const {
    return {root_ + "/..data/ca.pem", root_ + "/tls.crt", root_ + "/tls.key"};
  }

 private:
  std::string root_;
  const TestCa& ca_;
};

TEST_F(TlsTest, RotatedCertificateIsServedToNewConnectionsAndOpenOnesKeepWorking) {
  SecretVolume volume(dir_.path(), ca_);
  volume.publish(1, 2);
  RunningServer running(test_options(volume.files()), {ok, nullptr});
  TlsClient before(trusting(ca_.cert_pem()));
  ASSERT_FALSE(before.connect(running.port()));
  ASSERT_EQ(before.request("POST", "/mutate").status, 200U);
  EXPECT_EQ(before.peer_serial(), 2);

  volume.publish(2, 3);
  ASSERT_TRUE(eventually([&] {
    return metric_value(running.registry(),
                        "jailkeeper_certificate_reloads_total{result=\"success\"}") == 1.0;
  }));

  TlsClient after(trusting(ca_.cert_pem()));
  ASSERT_FALSE(after.connect(running.port()));
  EXPECT_EQ(after.peer_serial(), 3);
  EXPECT_EQ(after.request("POST", "/mutate").status, 200U);
  const Reply old_connection = before.request("POST", "/mutate");
  ASSERT_FALSE(old_connection.ec) << old_connection.ec.message();
  EXPECT_EQ(old_connection.status, 200U);
  EXPECT_EQ(before.peer_serial(), 2);
}

TEST_F(TlsTest, MismatchedNewPairKeepsTheOldCertificate) {
  const CertFiles files = write_server_certs(dir_.path(), ca_, 2);
  RunningServer running(test_options(files), {ok, nullptr});
  IssueOptions replacement;
  replacement.serial = 9;
  write_file(files.cert, ca_.issue(replacement).cert_pem);  // the key stays serial 2's
  ASSERT_TRUE(eventually([&] {
    return metric_value(running.registry(),
                        "jailkeeper_certificate_reloads_total{result=\"failure\"}") >= 1.0;
  }));
  TlsClient c(trusting(ca_.cert_pem()));
  ASSERT_FALSE(c.connect(running.port()));
  EXPECT_EQ(c.peer_serial(), 2);
}

TEST_F(TlsTest, CreateReportsWhyItCannotStart) {
  const CertFiles files = write_server_certs(dir_.path(), ca_, 2);
  TempDir second;
  const CertFiles foreign = write_server_certs(second.path(), ca_, 4);
  metrics::Registry registry;
  auto busy = server::Server::create(test_options(files), {ok, nullptr}, registry);
  ASSERT_TRUE(busy.ok()) << busy.error().message;
  const std::string busy_addr = "127.0.0.1:" + std::to_string((*busy)->port());

  struct Case {
    std::string name;
    std::function<void(server::ServerOptions&)> change;
    std::string error;
  };
  const std::vector<Case> cases = {
      {"missing cert", [](auto& o) { o.tls_cert = "/nonexistent/x.pem"; },
       "tls-cert /nonexistent/x.pem: No such file or directory"},
      {"missing key", [](auto& o) { o.tls_key = "/nonexistent/x.key"; },
       "tls-key /nonexistent/x.key: No such file or directory"},
      {"foreign key", [&](auto& o) { o.tls_key = foreign.key; },
       "tls-key " + foreign.key + ": key does not match certificate"},
      {"port in use", [&](auto& o) { o.listen = busy_addr; },
       "listen " + busy_addr + ": Address already in use"},
      {"bad listen", [](auto& o) { o.listen = "nowhere"; }, "listen nowhere: expected host:port"},
  };
  for (const Case& c : cases) {
    server::ServerOptions options = test_options(files);
    c.change(options);
    metrics::Registry r;
    auto created = server::Server::create(options, {ok, nullptr}, r);
    ASSERT_FALSE(created.ok()) << c.name;
    EXPECT_EQ(created.error().message, c.error) << c.name;
  }
}

}  // namespace
}  // namespace jk::testing
