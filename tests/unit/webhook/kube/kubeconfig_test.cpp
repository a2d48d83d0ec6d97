// kubeconfig_config: which fields of a kubeconfig become the client configuration, and how each
// broken or unsupported kubeconfig is reported (file and field path in every message).
#include <gtest/gtest.h>

#include "tests/unit/webhook/kube/kube_fixture.h"
#include "webhook/kube/client_config.h"

namespace jk::kube {
namespace {

constexpr std::string_view kCaServer =
    "server: https://api.example:6443\ncertificate-authority-data: {CA_DATA}";

struct Accepted {
  std::string name;
  std::string cluster;
  std::string user;
  std::string context;  // override; "" = current-context
  // Expected values ({DIR} expanded); ca/cert/key: "ca", "client", "" = empty.
  std::string server;
  std::string host;
  std::uint16_t port;
  std::string base_path;
  std::string tls_server_name;
  std::string ca;
  bool insecure;
  std::string bearer_token;
  std::string token_file;
  bool client_cert;
};

class KubeconfigAccepts : public kube::testing::KubeFixture,
                          public ::testing::WithParamInterface<Accepted> {};

TEST_P(KubeconfigAccepts, Fields) {
  const Accepted& c = GetParam();
  const std::string path =
      write("conf/config", expand(kube::testing::kubeconfig_text(c.cluster, c.user)));
  const auto config = kubeconfig_config(path, c.context);
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_EQ(config->server, c.server);
  EXPECT_EQ(config->host, c.host);
  EXPECT_EQ(config->port, c.port);
  EXPECT_EQ(config->base_path, c.base_path);
  EXPECT_EQ(config->tls_server_name, c.tls_server_name);
  EXPECT_EQ(config->ca_pem, c.ca == "ca" ? ca_.cert_pem() : "");
  EXPECT_EQ(config->insecure_skip_tls_verify, c.insecure);
  EXPECT_EQ(config->bearer_token, c.bearer_token);
  EXPECT_EQ(config->token_file, expand(c.token_file));
  EXPECT_EQ(config->client_cert_pem, c.client_cert ? client_.cert_pem : "");
  EXPECT_EQ(config->client_key_pem, c.client_cert ? client_.key_pem : "");
  const std::string context = c.context.empty() ? "main" : c.context;
  EXPECT_EQ(config->source, "kubeconfig " + path + " (context " + context + ")");
}

const std::string kApi = "https://api.example:6443";

INSTANTIATE_TEST_SUITE_P(
    Kubeconfig, KubeconfigAccepts,
    ::testing::Values(
        Accepted{"TokenWithCaData", std::string(kCaServer), "token: abc", "", kApi, "api.example",
                 6443, "", "api.example", "ca", false, "abc", "", false},
        Accepted{"TokenFileRelativeToKubeconfigDir", std::string(kCaServer),
                 "tokenFile: ../token\ntoken: ignored", "", kApi, "api.example", 6443, "",
                 "api.example", "ca", false, "", "{DIR}/token", false},
        Accepted{"ClientCertificateData", std::string(kCaServer),
                 "client-certificate-data: {CERT_DATA}\nclient-key-data: {KEY_DATA}", "", kApi,
                 "api.example", 6443, "", "api.example", "ca", false, "", "", true},
        Accepted{"ClientCertificateRelativeFiles", std::string(kCaServer),
                 "client-certificate: ../client.crt\nclient-key: ../client.key", "", kApi,
                 "api.example", 6443, "", "api.example", "ca", false, "", "", true},
        Accepted{"ClientCertificateAbsoluteFiles", std::string(kCaServer),
                 "client-certificate: {DIR}/client.crt\nclient-key: {DIR}/client.key", "", kApi,
                 "api.example", 6443, "", "api.example", "ca", false, "", "", true},
        Accepted{"CaFileRelativeToKubeconfigDir",
                 "server: https://api.example:6443\ncertificate-authority: ../ca.crt", "token: t",
                 "", kApi, "api.example", 6443, "", "api.example", "ca", false, "t", "", false},
        Accepted{"NoCaMeansSystemRoots", "server: https://api.example:6443", "token: t", "", kApi,
                 "api.example", 6443, "", "api.example", "", false, "t", "", false},
        Accepted{"InsecureOnlyWhenSet",
                 "server: https://api.example:6443\ninsecure-skip-tls-verify: true", "token: t", "",
                 kApi, "api.example", 6443, "", "api.example", "", true, "t", "", false},
        Accepted{"InsecureFalse",
                 "server: https://api.example:6443\ninsecure-skip-tls-verify: false", "token: t",
                 "", kApi, "api.example", 6443, "", "api.example", "", false, "t", "", false},
        Accepted{"TlsServerName", std::string(kCaServer) + "\ntls-server-name: kubernetes",
                 "token: t", "", kApi, "api.example", 6443, "", "kubernetes", "ca", false, "t", "",
                 false},
        Accepted{"DefaultPortAndTrailingSlash", "server: https://api.example/", "token: t", "",
                 "https://api.example:443", "api.example", 443, "", "api.example", "", false, "t",
                 "", false},
        Accepted{"Ipv6Server", "server: https://[fd00::1]:6443", "token: t", "",
                 "https://[fd00::1]:6443", "fd00::1", 6443, "", "fd00::1", "", false, "t", "",
                 false},
        Accepted{"PathPrefix", "server: https://rancher.example/k8s/clusters/c-1/", "token: t", "",
                 "https://rancher.example:443/k8s/clusters/c-1", "rancher.example", 443,
                 "/k8s/clusters/c-1", "rancher.example", "", false, "t", "", false},
        Accepted{"ContextOverride", std::string(kCaServer), "token: t", "other",
                 "https://other.example:6443", "other.example", 6443, "", "other.example", "", true,
                 "t", "", false}),
    [](const ::testing::TestParamInfo<Accepted>& param_info) { return param_info.param.name; });

struct Rejected {
  std::string name;
  std::string cluster;
  std::string user;
  std::string context;
  std::string error;  // exact; {DIR} and {FILE} expanded
};

class KubeconfigRejects : public kube::testing::KubeFixture,
                          public ::testing::WithParamInterface<Rejected> {};

TEST_P(KubeconfigRejects, WithFileAndFieldPath) {
  const Rejected& c = GetParam();
  const std::string path =
      write("config", expand(kube::testing::kubeconfig_text(c.cluster, c.user)));
  const auto config = kubeconfig_config(path, c.context);
  ASSERT_FALSE(config.ok());
  std::string expected = expand(c.error);
  expected.replace(expected.find("{FILE}"), std::string("{FILE}").size(), path);
  EXPECT_EQ(config.error().message, expected);
}

const std::string kCluster = "kubeconfig {FILE}: clusters[name=c1].cluster";
const std::string kUser = "kubeconfig {FILE}: users[name=u1].user";
const std::string kCertPair = "client-certificate-data: {CERT_DATA}\nclient-key-data: {KEY_DATA}";

INSTANTIATE_TEST_SUITE_P(
    Kubeconfig, KubeconfigRejects,
    ::testing::Values(
        Rejected{"PlainHttp", "server: http://api.example:8080", "token: t", "",
                 kCluster + ".server: \"http://api.example:8080\": only https:// is supported "
                            "(credentials are never sent in clear text)"},
        Rejected{"NoServer", "certificate-authority-data: {CA_DATA}", "token: t", "",
                 kCluster + ".server: is empty"},
        Rejected{"BadPort", "server: https://api.example:99999", "token: t", "",
                 kCluster + ".server: \"https://api.example:99999\": invalid host:port "
                            "\"api.example:99999\""},
        Rejected{"MissingCaFile", "server: https://a.example\ncertificate-authority: nope.crt",
                 "token: t", "",
                 kCluster + ".certificate-authority: file {DIR}/nope.crt: No such file or "
                            "directory"},
        Rejected{"CaDataNotBase64", "server: https://a.example\ncertificate-authority-data: '*'",
                 "token: t", "", kCluster + ".certificate-authority-data: invalid base64"},
        Rejected{
            "CaDataNotPem", "server: https://a.example\ncertificate-authority-data: {NOT_PEM_DATA}",
            "token: t", "", kCluster + ".certificate-authority-data: no PEM certificate found"},
        Rejected{"InsecureWithCa", std::string(kCaServer) + "\ninsecure-skip-tls-verify: true",
                 "token: t", "",
                 kCluster + ": insecure-skip-tls-verify and a certificate authority are both set"},
        Rejected{"InsecureNotBool", "server: https://a.example\ninsecure-skip-tls-verify: yes!",
                 "token: t", "",
                 kCluster + ".insecure-skip-tls-verify: expected true or false, got \"yes!\""},
        Rejected{"ProxyUrl", "server: https://a.example\nproxy-url: http://proxy:3128", "token: t",
                 "", kCluster + ".proxy-url: proxies are not supported"},
        Rejected{"MissingClientKeyFile", std::string(kCaServer),
                 "client-certificate: client.crt\nclient-key: {DIR}/missing.key", "",
                 kUser + ".client-key: file {DIR}/missing.key: No such file or directory"},
        Rejected{"CertWithoutKey", std::string(kCaServer), "client-certificate-data: {CERT_DATA}",
                 "", kUser + ": client-certificate and client-key must be given together"},
        Rejected{"KeyWithoutCert", std::string(kCaServer), "client-key-data: {KEY_DATA}", "",
                 kUser + ": client-certificate and client-key must be given together"},
        Rejected{"KeyOfAnotherCert", std::string(kCaServer),
                 "client-certificate-data: {CERT_DATA}\nclient-key-data: {OTHER_KEY_DATA}", "",
                 kUser + ": the private key does not belong to the client certificate"},
        Rejected{"CertNotPem", std::string(kCaServer),
                 "client-certificate-data: {NOT_PEM_DATA}\nclient-key-data: {KEY_DATA}", "",
                 kUser + ".client-certificate: not a PEM certificate"},
        Rejected{"KeyNotPem", std::string(kCaServer),
                 "client-certificate-data: {CERT_DATA}\nclient-key-data: {NOT_PEM_DATA}", "",
                 kUser + ".client-key: not an unencrypted PEM private key"},
        Rejected{"TokenAndCertificate", std::string(kCaServer), kCertPair + "\ntoken: t", "",
                 kUser + ": both a token and a client certificate are set; use one"},
        Rejected{"NoCredentials", std::string(kCaServer), "{}", "",
                 kUser + ": no credentials (token, tokenFile, client-certificate + client-key, or "
                         "exec)"},
        Rejected{"MissingTokenFile", std::string(kCaServer), "tokenFile: no-token", "",
                 kUser + ".tokenFile: file {DIR}/no-token: No such file or directory"},
        Rejected{"ExecV1WithoutInteractiveMode", std::string(kCaServer),
                 "exec:\n  apiVersion: client.authentication.k8s.io/v1\n  command: aws", "",
                 kUser + ".exec.interactiveMode: required for client.authentication.k8s.io/v1 "
                         "(Never, IfAvailable or Always)"},
        Rejected{"ExecRemovedApiVersion", std::string(kCaServer),
                 "exec:\n  apiVersion: client.authentication.k8s.io/v1alpha1\n  command: aws", "",
                 kUser + ".exec.apiVersion: expected client.authentication.k8s.io/v1 or "
                         "client.authentication.k8s.io/v1beta1, got "
                         "\"client.authentication.k8s.io/v1alpha1\""},
        Rejected{"ExecBadInteractiveMode", std::string(kCaServer),
                 "exec:\n  apiVersion: client.authentication.k8s.io/v1beta1\n  command: aws\n"
                 "  interactiveMode: Sometimes",
                 "",
                 kUser + ".exec.interactiveMode: expected Never, IfAvailable or Always, got "
                         "\"Sometimes\""},
        Rejected{"ExecWithoutCommand", std::string(kCaServer),
                 "exec:\n  apiVersion: client.authentication.k8s.io/v1beta1", "",
                 kUser + ".exec.command: missing"},
        Rejected{"ExecArgsNotAList", std::string(kCaServer),
                 "exec:\n  apiVersion: client.authentication.k8s.io/v1beta1\n  command: aws\n"
                 "  args: eks get-token",
                 "", kUser + ".exec.args: expected a list of strings"},
        Rejected{"ExecEnvWithoutName", std::string(kCaServer),
                 "exec:\n  apiVersion: client.authentication.k8s.io/v1beta1\n  command: aws\n"
                 "  env: [{value: x}]",
                 "", kUser + ".exec.env[0].name: expected a variable name, got \"\""},
        Rejected{"ExecAndToken", std::string(kCaServer),
                 "token: t\nexec:\n  apiVersion: client.authentication.k8s.io/v1beta1\n"
                 "  command: aws",
                 "", kUser + ": both exec and a token or client certificate are set; use one"},
        Rejected{"AuthProvider", std::string(kCaServer), "auth-provider:\n  name: gcp", "",
                 kUser + ".auth-provider (gcp): auth-provider plugins are not supported (they "
                         "were removed from kubectl in 1.26); use an exec plugin, a token or a "
                         "client certificate"},
        Rejected{"BasicAuth", std::string(kCaServer), "username: admin\npassword: secret", "",
                 kUser + ".username/password: basic auth is not supported; use a token or "
                         "client certificate"},
        Rejected{"UnknownContext", std::string(kCaServer), "token: t", "nope",
                 "kubeconfig {FILE}: context \"nope\" not found (contexts: main, other)"}),
    [](const ::testing::TestParamInfo<Rejected>& param_info) { return param_info.param.name; });

class KubeconfigExec : public kube::testing::KubeFixture {};

// The EKS kubeconfig `aws eks update-kubeconfig` writes, field by field.
TEST_F(KubeconfigExec, AwsEksGetTokenBecomesTheExecConfig) {
  const std::string path = write(
      "conf/config",
      expand(kube::testing::kubeconfig_text(
          std::string(kCaServer),
          "exec:\n  apiVersion: client.authentication.k8s.io/v1beta1\n  command: aws\n"
          "  args: [--region, eu-west-1, eks, get-token, --cluster-name, demo, --output, json]\n"
          "  env:\n  - {name: AWS_PROFILE, value: admin}\n  provideClusterInfo: true\n"
          "  installHint: install the AWS CLI")));
  const auto config = kubeconfig_config(path);
  ASSERT_TRUE(config.ok()) << config.error().message;
  ASSERT_TRUE(config->exec.has_value());
  const ExecConfig& e = *config->exec;
  EXPECT_EQ(e.api_version, "client.authentication.k8s.io/v1beta1");
  EXPECT_EQ(e.command, "aws");  // a bare name is looked up on PATH when it runs
  EXPECT_EQ(e.args, (std::vector<std::string>{"--region", "eu-west-1", "eks", "get-token",
                                              "--cluster-name", "demo", "--output", "json"}));
  EXPECT_EQ(e.env, (std::vector<std::pair<std::string, std::string>>{{"AWS_PROFILE", "admin"}}));
  EXPECT_EQ(e.interactive_mode, ExecInteractiveMode::kIfAvailable);  // v1beta1's default
  EXPECT_TRUE(e.provide_cluster_info);
  EXPECT_EQ(e.install_hint, "install the AWS CLI");
  EXPECT_EQ(e.field_path, "users[name=u1].user.exec");
  EXPECT_TRUE(config->bearer_token.empty());
  EXPECT_TRUE(config->client_cert_pem.empty());
}

TEST_F(KubeconfigExec, RelativeCommandPathIsResolvedAgainstTheKubeconfig) {
  const std::string path =
      write("conf/config",
            expand(kube::testing::kubeconfig_text(
                std::string(kCaServer),
                "exec:\n  apiVersion: client.authentication.k8s.io/v1\n  command: ./bin/get-token\n"
                "  interactiveMode: Never")));
  const auto config = kubeconfig_config(path);
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_EQ(config->exec->command, dir() + "/conf/bin/get-token");
  EXPECT_EQ(config->exec->interactive_mode, ExecInteractiveMode::kNever);
}

class KubeconfigStructure : public kube::testing::KubeFixture {};

TEST_F(KubeconfigStructure, ContextNamingAMissingClusterOrUser) {
  const std::string text =
      "current-context: ghost\ncontexts:\n"
      "- name: ghost\n  context: {cluster: nowhere, user: u1}\n"
      "- name: nobody\n  context: {cluster: c1, user: missing}\n"
      "clusters:\n- name: c1\n  cluster: {server: 'https://a.example'}\n"
      "users:\n- name: u1\n  user: {token: t}\n";
  const std::string file = write("structure", text);
  auto ghost = kubeconfig_config(file);
  ASSERT_FALSE(ghost.ok());
  EXPECT_EQ(ghost.error().message, "kubeconfig " + file +
                                       ": contexts[name=ghost].context.cluster: no cluster named "
                                       "\"nowhere\"");
  auto nobody = kubeconfig_config(file, "nobody");
  ASSERT_FALSE(nobody.ok());
  EXPECT_EQ(nobody.error().message, "kubeconfig " + file +
                                        ": contexts[name=nobody].context.user: no user named "
                                        "\"missing\"");
}

TEST_F(KubeconfigStructure, NoCurrentContext) {
  const std::string file =
      write("config", "clusters: []\nusers: []\ncontexts: []\npreferences: {}\n");
  auto config = kubeconfig_config(file);
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.error().message,
            "kubeconfig " + file + ": current-context is not set and no context was given");
}

TEST_F(KubeconfigStructure, MissingFileAndBadYaml) {
  auto missing = kubeconfig_config(dir() + "/absent");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message,
            "kubeconfig: file " + dir() + "/absent: No such file or directory");
  const std::string bad = write("bad", "clusters: [\n");
  auto broken = kubeconfig_config(bad);
  ASSERT_FALSE(broken.ok());
  EXPECT_EQ(broken.error().message.rfind("kubeconfig " + bad + ": ", 0), 0U)
      << broken.error().message;
  const std::string wrong = write("wrong", "clusters: {a: b}\n");
  auto shape = kubeconfig_config(wrong);
  ASSERT_FALSE(shape.ok());
  EXPECT_EQ(shape.error().message, "kubeconfig " + wrong + ": clusters: expected a list");
}

}  // namespace
}  // namespace jk::kube
