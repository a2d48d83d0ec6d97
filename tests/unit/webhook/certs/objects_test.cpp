// The Secret and MutatingWebhookConfiguration JSON: what is read and what is written.
#include <gtest/gtest.h>

#include "common/base64.h"
#include "tests/unit/webhook/certs/certs_fixture.h"
#include "webhook/certs/secret.h"
#include "webhook/certs/webhook_config.h"

namespace jk::certs {
namespace {

using nlohmann::json;
using testing::issue_for_test;

json config_with(const std::vector<std::string>& bundles) {
  json hooks = json::array();
  for (const auto& b : bundles) {
    json client = {{"service", {{"name", "svc"}, {"namespace", "ns"}}}};
    if (!b.empty()) client["caBundle"] = base64_encode(b);
    hooks.push_back({{"name", "w" + std::to_string(hooks.size())}, {"clientConfig", client}});
  }
  return {{"metadata", {{"name", "cfg"}, {"resourceVersion", "42"}}}, {"webhooks", hooks}};
}

TEST(Secret, NewSecretIsTypedTlsWithTheThreeKeys) {
  const auto m = issue_for_test();
  const json s = new_secret("ns", "tls", m);
  EXPECT_EQ(s["type"], "kubernetes.io/tls");
  EXPECT_EQ(s["metadata"]["namespace"], "ns");
  EXPECT_EQ(s["metadata"]["name"], "tls");
  EXPECT_EQ(s["data"].size(), 3U);
  const auto back = material_from_secret(s);
  EXPECT_EQ(back.cert_pem, m.cert_pem);
  EXPECT_EQ(back.key_pem, m.key_pem);
  EXPECT_EQ(back.ca_pem, m.ca_pem);
}

TEST(Secret, UpdateKeepsOtherKeysLabelsAndResourceVersion) {
  json existing = {
      {"metadata", {{"name", "tls"}, {"resourceVersion", "7"}, {"labels", {{"a", "b"}}}}},
      {"type", "kubernetes.io/tls"},
      {"data", {{"extra", "eA=="}, {"tls.crt", "b2xk"}}}};
  const auto m = issue_for_test();
  const json u = updated_secret(existing, m);
  EXPECT_EQ(u["metadata"]["resourceVersion"], "7");
  EXPECT_EQ(u["metadata"]["labels"]["a"], "b");
  EXPECT_EQ(u["data"]["extra"], "eA==");
  EXPECT_EQ(material_from_secret(u).cert_pem, m.cert_pem);
}

TEST(Secret, UnreadableKeysComeBackEmpty) {
  const json s = {{"data", {{"tls.crt", "not base64!"}, {"tls.key", 5}}}};
  const auto m = material_from_secret(s);
  EXPECT_EQ(m.cert_pem, "");
  EXPECT_EQ(m.key_pem, "");
  EXPECT_EQ(m.ca_pem, "");
  EXPECT_EQ(material_from_secret(json::array()).cert_pem, "");
}

TEST(WebhookConfig, BundleCertificatesFromEveryWebhookSkippingJunk) {
  const auto a = issue_for_test();
  const auto b = issue_for_test();
  const json cfg = config_with({a.ca_pem + b.ca_pem, "", "not pem", a.ca_pem});
  const auto certs = bundle_certificates(cfg);
  ASSERT_EQ(certs.size(), 3U);
  EXPECT_EQ(certs[0].pem, a.ca_pem);
  EXPECT_EQ(certs[1].pem, b.ca_pem);
  EXPECT_EQ(certs[2].pem, a.ca_pem);
}

TEST(WebhookConfig, PatchSetsTheBundleOnEveryDifferingWebhookGuardedByResourceVersion) {
  const auto a = issue_for_test();
  const json cfg = config_with({"", a.ca_pem, "old"});
  const auto patch = ca_bundle_patch(cfg, a.ca_pem);
  ASSERT_TRUE(patch.has_value());
  const json want =
      json::array({{{"op", "replace"}, {"path", "/metadata/resourceVersion"}, {"value", "42"}},
                   {{"op", "add"},
                    {"path", "/webhooks/0/clientConfig/caBundle"},
                    {"value", base64_encode(a.ca_pem)}},
                   {{"op", "add"},
                    {"path", "/webhooks/2/clientConfig/caBundle"},
                    {"value", base64_encode(a.ca_pem)}}});
  EXPECT_EQ(*patch, want);
}

TEST(WebhookConfig, NoPatchWhenEveryWebhookAlreadyCarriesTheBundle) {
  const auto a = issue_for_test();
  EXPECT_EQ(ca_bundle_patch(config_with({a.ca_pem, a.ca_pem}), a.ca_pem), std::nullopt);
  EXPECT_EQ(ca_bundle_patch(config_with({}), a.ca_pem), std::nullopt);
  EXPECT_EQ(webhook_count(config_with({a.ca_pem, a.ca_pem})), 2U);
}

TEST(WebhookConfig, WebhookWithoutClientConfigGetsOne) {
  const json cfg = {{"metadata", {{"resourceVersion", "1"}}}, {"webhooks", {{{"name", "w"}}}}};
  const auto patch = ca_bundle_patch(cfg, "pem");
  ASSERT_TRUE(patch.has_value());
  EXPECT_EQ((*patch)[1],
            (json{{"op", "add"}, {"path", "/webhooks/0/clientConfig"}, {"value", json::object()}}));
  EXPECT_EQ((*patch)[2]["path"], "/webhooks/0/clientConfig/caBundle");
}

}  // namespace
}  // namespace jk::certs
