#include "launchspec/launch_spec.h"

#include <gtest/gtest.h>

namespace jk::launchspec {
namespace {

TEST(LaunchSpec, RoundTrips) {
  LaunchSpec s;
  s.jail = JailType::kLandjail;
  s.fallback = {JailType::kSeccompjail};
  s.user_namespace = false;
  s.allow = {"domain=github.com", "method=GET domain=*.npmjs.org"};
  s.proxy_port = 8080;
  s.policy = "default";
  const std::string json = to_json(s);
  EXPECT_EQ(json,
            R"({"version":1,"jail":"landjail","fallback":["seccompjail"],"userNamespace":false,)"
            R"("allow":["domain=github.com","method=GET domain=*.npmjs.org"],"proxyPort":8080,)"
            R"("policy":"default"})");
  auto back = from_json(json);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(*back, s);
}

// The text the webhook puts in the pod's annotation, byte for byte: optional members left out
// when empty, strings escaped as JSON needs.
TEST(LaunchSpec, WritesCompactJsonInAFixedOrder) {
  EXPECT_EQ(to_json(LaunchSpec{}),
            R"({"version":1,"jail":"nsjail","userNamespace":true,"allow":[]})");
  LaunchSpec s;
  s.allow = {"path=\"/a\\b\""};
  s.policy = "p\tq";
  s.allow_internal = {"127.0.0.1/32", "fd00::/8"};
  const std::string json = to_json(s);
  EXPECT_EQ(json, R"({"version":1,"jail":"nsjail","userNamespace":true,"allow":["path=\"/a\\b\""],)"
                  R"("policy":"p\tq","allowInternal":["127.0.0.1/32","fd00::/8"]})");
}

TEST(LaunchSpec, RejectsWhatTheLauncherCannotHonour) {
  const std::pair<const char*, const char*> cases[] = {
      {"[]", "expected a JSON object"},
      {"nope", "not valid JSON"},
      {R"({"version":2})", "unsupported launch spec version 2"},
      {R"({"jail":"chroot"})", "unknown jail \"chroot\""},
      {R"({"fallback":["x"]})", "fallback[0]"},
      {R"({"userNamespace":"yes"})", "userNamespace"},
      {R"({"allow":[1]})", "allow[0]"},
      {R"({"proxyPort":70000})", "proxyPort"},
      {R"({"proxyPort":0})", "proxyPort"},
      {R"({"extra":1})", "unknown key \"extra\""},
  };
  for (const auto& [input, want] : cases) {
    auto r = from_json(input);
    ASSERT_FALSE(r.ok()) << input;
    EXPECT_NE(r.error().message.find(want), std::string::npos)
        << input << ": " << r.error().message;
  }
}

}  // namespace
}  // namespace jk::launchspec
