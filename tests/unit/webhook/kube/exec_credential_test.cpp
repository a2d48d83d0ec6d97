// The ExecCredential protocol as values: what a plugin may print (accepted or refused with the
// reason) and the KUBERNETES_EXEC_INFO it is given.
#include "webhook/kube/exec_credential.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/support/temp_certs.h"

namespace jk::kube {
namespace {

using std::chrono::system_clock;
constexpr std::string_view kV1 = "client.authentication.k8s.io/v1";

std::string credential(const std::string& status, std::string_view api = kV1) {
  return R"({"apiVersion":")" + std::string(api) + R"(","kind":"ExecCredential","status":)" +
         status + "}";
}

TEST(ExecCredential, TokenWithAndWithoutExpiry) {
  auto c = parse_exec_credential(credential(R"({"token":"k8s-aws-v1.abc"})"), kV1);
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->token, "k8s-aws-v1.abc");
  EXPECT_FALSE(c->expiry.has_value());
  c = parse_exec_credential(
      credential(R"({"token":"t","expirationTimestamp":"2024-05-06T07:08:09Z"})"), kV1);
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(system_clock::to_time_t(*c->expiry), 1714979289);
}

TEST(ExecCredential, ClientCertificatePair) {
  jk::testing::TestCa ca;
  const auto issued = ca.issue({.common_name = "u", .client = true});
  const nlohmann::json status = {{"clientCertificateData", issued.cert_pem},
                                 {"clientKeyData", issued.key_pem}};
  auto c = parse_exec_credential(credential(status.dump()), kV1);
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->client_cert_pem, issued.cert_pem);
  EXPECT_EQ(c->client_key_pem, issued.key_pem);
  EXPECT_TRUE(c->token.empty());
  const auto other = ca.issue({.common_name = "v", .serial = 3, .client = true});
  const nlohmann::json mismatched = {{"clientCertificateData", issued.cert_pem},
                                     {"clientKeyData", other.key_pem}};
  c = parse_exec_credential(credential(mismatched.dump()), kV1);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find("does not belong"), std::string::npos) << c.error().message;
}

TEST(ExecCredential, RefusedWithTheReason) {
  struct Case {
    std::string text;
    std::string error;
  };
  const std::vector<Case> cases = {
      {"", "not an ExecCredential JSON object (output starts \"\")"},
      {"token: abc", "not an ExecCredential JSON object (output starts \"token: abc\")"},
      {"[1,2]", "not an ExecCredential JSON object"},
      {credential(R"({"token":"t"})", "client.authentication.k8s.io/v1beta1"),
       "apiVersion \"client.authentication.k8s.io/v1beta1\" but the kubeconfig asks for "
       "\"client.authentication.k8s.io/v1\""},
      {R"({"apiVersion":"client.authentication.k8s.io/v1","kind":"Secret","status":{"token":"t"}})",
       "kind: expected ExecCredential"},
      {R"({"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential"})",
       "status: missing (expected an object)"},
      {credential("{}"), "status: neither a token nor clientCertificateData + clientKeyData"},
      {credential(R"({"token":""})"),
       "status: neither a token nor clientCertificateData + clientKeyData"},
      {credential(R"({"token":7})"), "status.token: expected a string"},
      {credential(R"({"clientCertificateData":"x"})"),
       "status: clientCertificateData and clientKeyData must be given together"},
      {credential(R"({"clientCertificateData":"x","clientKeyData":"y"})"),
       "status.clientCertificateData: not a PEM certificate"},
      {credential(R"({"token":"t","expirationTimestamp":"tomorrow"})"),
       "status.expirationTimestamp: \"tomorrow\" is not RFC 3339"},
  };
  for (const auto& c : cases) {
    const auto parsed = parse_exec_credential(c.text, kV1);
    ASSERT_FALSE(parsed.ok()) << c.text;
    EXPECT_NE(parsed.error().message.find(c.error), std::string::npos) << c.text << "\n"
                                                                       << parsed.error().message;
  }
}

TEST(Rfc3339, AcceptsUtcFractionsAndOffsets) {
  struct Case {
    std::string text;
    std::time_t expected;
  };
  const std::vector<Case> cases = {
      {"1970-01-01T00:00:00Z", 0},
      {"2024-05-06T07:08:09Z", 1714979289},
      {"2024-05-06t07:08:09z", 1714979289},
      {"2024-05-06T07:08:09.123456789Z", 1714979289},
      {"2024-05-06T09:08:09+02:00", 1714979289},
      {"2024-05-06T02:08:09-05:00", 1714979289},
  };
  for (const auto& c : cases) {
    const auto t = parse_rfc3339(c.text);
    ASSERT_TRUE(t.ok()) << c.text << ": " << t.error().message;
    EXPECT_EQ(system_clock::to_time_t(*t), c.expected) << c.text;
  }
  EXPECT_EQ(*parse_rfc3339("9999-12-31T23:59:59Z"), system_clock::time_point::max());
  for (const std::string bad :
       {"", "2024-05-06", "2024-05-06T07:08:09", "2024-13-06T07:08:09Z", "2024-05-06T25:08:09Z",
        "2024-05-06T07:08:09.Z", "2024-05-06T07:08:09+2:00", "2024-05-06 07:08:09Z",
        "2024-05-06T07:08:09Zjunk"}) {
    EXPECT_FALSE(parse_rfc3339(bad).ok()) << bad;
  }
}

TEST(ExecInfo, CarriesInteractiveAndOnlyOnRequestTheCluster) {
  ExecConfig exec;
  exec.api_version = "client.authentication.k8s.io/v1beta1";
  ClientConfig cluster;
  cluster.server = "https://ABC.gr7.eu-west-1.eks.amazonaws.com";
  cluster.host = "ABC.gr7.eu-west-1.eks.amazonaws.com";
  cluster.tls_server_name = cluster.host;
  cluster.ca_pem = "PEM";
  auto info = nlohmann::json::parse(exec_info_json(exec, cluster, true));
  EXPECT_EQ(info, nlohmann::json::parse(R"({"apiVersion":"client.authentication.k8s.io/v1beta1",
      "kind":"ExecCredential","spec":{"interactive":true}})"));
  exec.provide_cluster_info = true;
  info = nlohmann::json::parse(exec_info_json(exec, cluster, false));
  EXPECT_EQ(info["spec"], nlohmann::json::parse(R"({"interactive":false,"cluster":{
      "server":"https://ABC.gr7.eu-west-1.eks.amazonaws.com",
      "certificate-authority-data":"UEVN"}})"));
}

}  // namespace
}  // namespace jk::kube
