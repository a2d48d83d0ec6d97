// in_cluster_config: the API server address from the environment, the service account token kept
// as a file (the projected token rotates) and the cluster CA.
#include <gtest/gtest.h>

#include "tests/unit/webhook/kube/kube_fixture.h"
#include "webhook/kube/client_config.h"

namespace jk::kube {
namespace {

class InCluster : public kube::testing::KubeFixture {
 protected:
  InCluster() {
    write("sa/token", "sa-token\n");
    write("sa/ca.crt", ca_.cert_pem());
  }
  [[nodiscard]] std::string sa() const { return dir() + "/sa"; }
  static Environment env(const std::string& host, const std::string& port) {
    return Environment{{{"KUBERNETES_SERVICE_HOST", host}, {"KUBERNETES_SERVICE_PORT", port}}, ""};
  }
};

struct Address {
  std::string host_var;
  std::string port_var;
  std::string server;
  std::string host;
  std::uint16_t port;
};

class InClusterAddress : public InCluster, public ::testing::WithParamInterface<Address> {};

TEST_P(InClusterAddress, ServerFromEnvironment) {
  const Address& a = GetParam();
  auto config = in_cluster_config(env(a.host_var, a.port_var), sa());
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_EQ(config->server, a.server);
  EXPECT_EQ(config->host, a.host);
  EXPECT_EQ(config->port, a.port);
  EXPECT_EQ(config->tls_server_name, a.host);
  EXPECT_EQ(config->base_path, "");
  EXPECT_EQ(config->ca_pem, ca_.cert_pem());
  EXPECT_FALSE(config->insecure_skip_tls_verify);
  EXPECT_EQ(config->token_file, sa() + "/token");
  EXPECT_EQ(config->bearer_token, "");  // the client reads token_file, so rotation is seen
  EXPECT_EQ(config->source, "in-cluster");
}

INSTANTIATE_TEST_SUITE_P(
    InCluster, InClusterAddress,
    ::testing::Values(Address{"10.96.0.1", "443", "https://10.96.0.1:443", "10.96.0.1", 443},
                      Address{"fd00:10:96::1", "6443", "https://[fd00:10:96::1]:6443",
                              "fd00:10:96::1", 6443}));

TEST_F(InCluster, MissingTokenNamesTheFile) {
  auto config = in_cluster_config(env("10.96.0.1", "443"), dir() + "/nowhere");
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.error().message, "in-cluster: service account token: file " + dir() +
                                        "/nowhere/token: No such file or directory");
}

TEST_F(InCluster, MissingCa) {
  write("sa2/token", "t");
  auto config = in_cluster_config(env("10.96.0.1", "443"), dir() + "/sa2");
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.error().message, "in-cluster: service account CA: file " + dir() +
                                        "/sa2/ca.crt: No such file or directory");
}

TEST_F(InCluster, CaThatIsNotPem) {
  write("sa3/token", "t");
  write("sa3/ca.crt", "not a certificate");
  auto config = in_cluster_config(env("10.96.0.1", "443"), dir() + "/sa3");
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.error().message,
            "in-cluster: " + dir() + "/sa3/ca.crt: no PEM certificate found");
}

TEST_F(InCluster, EnvironmentErrors) {
  auto no_port = in_cluster_config(env("10.96.0.1", ""), sa());
  ASSERT_FALSE(no_port.ok());
  EXPECT_EQ(no_port.error().message,
            "in-cluster: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must both be set "
            "(not running in a pod?)");
  auto bad_port = in_cluster_config(env("10.96.0.1", "https"), sa());
  ASSERT_FALSE(bad_port.ok());
  EXPECT_EQ(bad_port.error().message,
            "in-cluster: KUBERNETES_SERVICE_PORT=\"https\": not a port number");
}

class TokenRotation : public kube::testing::KubeFixture {};

TEST_F(TokenRotation, ReadTokenFileSeesTheNewToken) {
  const std::string path = write("token", "first\n");
  auto first = read_token_file(path);
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(*first, "first");
  write("token", "second \t\r\n");
  auto second = read_token_file(path);
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_EQ(*second, "second");
}

TEST_F(TokenRotation, EmptyOrMissingTokenIsAnError) {
  const std::string path = write("token", " \n");
  auto empty = read_token_file(path);
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().message, "file " + path + ": token is empty");
  auto missing = read_token_file(dir() + "/gone");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message, "file " + dir() + "/gone: No such file or directory");
}

}  // namespace
}  // namespace jk::kube
