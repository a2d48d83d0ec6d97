#include "webhook/handler/review_handler.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "common/base64.h"
#include "common/log.h"

namespace jk::handler {
namespace {

using nlohmann::json;

std::vector<policy::Node> one_al_node() {
  policy::Node n;
  n.name = "al";
  n.os = policy::NodeOs::kAmazonLinux;
  n.labels = {{"pool", "general"}};
  return {n};
}

class ReviewHandlerTest : public testing::Test {
 protected:
  ReviewHandlerTest()
      : snapshot_{std::make_shared<const policy::PolicyConfig>(),
                  std::make_shared<const policy::NodeIndex>(one_al_node()), nullptr},
        handler_([this] { return snapshot_; }, registry_) {
    log::set_sink([this](std::string_view line) { logs_ += line; });
  }
  ~ReviewHandlerTest() override { log::set_sink(nullptr); }

  json post(const json& review) {
    const std::string body = review.dump();
    const server::HttpResponse r =
        handler_.handle({"POST", "/mutate?timeout=10s", "application/json", body});
    EXPECT_EQ(r.status, 200) << r.body;
    return json::parse(r.body);
  }

  static json review(json pod, std::string api = "admission.k8s.io/v1", std::string op = "CREATE") {
    return {{"apiVersion", api},
            {"kind", "AdmissionReview"},
            {"request",
             {{"uid", "705ab4f5-6393-11e8-b7cc-42010a800002"},
              {"kind", {{"group", ""}, {"version", "v1"}, {"kind", "Pod"}}},
              {"operation", op},
              {"namespace", "agents"},
              {"name", "agent-1"},
              {"object", std::move(pod)}}}};
  }

  static json agent_pod() {
    return json::parse(R"({"metadata":{"name":"agent-1","namespace":"agents"},
      "spec":{"containers":[{"name":"agent","image":"agent:1","command":["agent"]}]}})");
  }

  metrics::Registry registry_;
  inject::Snapshot snapshot_;
  ReviewHandler handler_;
  std::string logs_;
};

TEST_F(ReviewHandlerTest, PatchesAPodCreateAndEchoesTheUid) {
  const json out = post(review(agent_pod()));
  EXPECT_EQ(out["apiVersion"], "admission.k8s.io/v1");
  const json& resp = out["response"];
  EXPECT_EQ(resp["uid"], "705ab4f5-6393-11e8-b7cc-42010a800002");
  EXPECT_EQ(resp["allowed"], true);
  EXPECT_EQ(resp["patchType"], "JSONPatch");
  EXPECT_EQ(resp["auditAnnotations"]["node-os"], "amazon-linux");
  EXPECT_EQ(resp["auditAnnotations"]["jail"], "nsjail");
  // One JSON log line per review, with the fields operators search for.
  const json line = json::parse(logs_.substr(0, logs_.find('\n')));
  EXPECT_EQ(line["msg"], "review");
  EXPECT_EQ(line["uid"], "705ab4f5-6393-11e8-b7cc-42010a800002");
  EXPECT_EQ(line["outcome"], "patched");
  EXPECT_EQ(line["nodeOS"], "amazon-linux");
  EXPECT_EQ(line["jail"], "nsjail");
  EXPECT_TRUE(line.contains("durationMs"));
  EXPECT_NE(registry_.render().find(
                "jailkeeper_reviews_total{outcome=\"patched\",node_os=\"amazon-linux\""),
            std::string::npos);
}

TEST_F(ReviewHandlerTest, AnswersV1beta1InKind) {
  const json out = post(review(agent_pod(), "admission.k8s.io/v1beta1"));
  EXPECT_EQ(out["apiVersion"], "admission.k8s.io/v1beta1");
  EXPECT_EQ(out["response"]["allowed"], true);
}

TEST_F(ReviewHandlerTest, AnythingButAPodCreateIsAllowedUnchanged) {
  for (const char* op : {"UPDATE", "DELETE", "CONNECT"}) {
    const json resp = post(review(agent_pod(), "admission.k8s.io/v1", op))["response"];
    EXPECT_EQ(resp["allowed"], true) << op;
    EXPECT_FALSE(resp.contains("patch")) << op;
    EXPECT_EQ(resp["auditAnnotations"]["skip-reason"], "not-a-pod-create") << op;
  }
  json r = review(agent_pod());
  r["request"]["kind"]["kind"] = "Deployment";
  r["request"]["kind"]["group"] = "apps";
  EXPECT_FALSE(post(r)["response"].contains("patch"));
}

TEST_F(ReviewHandlerTest, DryRunGetsTheSameAnswer) {
  json r = review(agent_pod());
  const json normal = post(r)["response"];
  r["request"]["dryRun"] = true;
  const json dry = post(r)["response"];
  EXPECT_EQ(dry["patch"], normal["patch"]);
  EXPECT_EQ(dry["allowed"], normal["allowed"]);
}

TEST_F(ReviewHandlerTest, DenialHasCodeAndActionableMessage) {
  json pod = agent_pod();
  pod["metadata"]["annotations"] = {{"jailkeeper.io/containers", "nope"}};
  const json resp = post(review(pod))["response"];
  EXPECT_EQ(resp["allowed"], false);
  EXPECT_EQ(resp["status"]["code"], 400);
  EXPECT_NE(resp["status"]["message"].get<std::string>().find("containers: agent"),
            std::string::npos);
}

TEST_F(ReviewHandlerTest, WarningsFitKubectl) {
  json pod = agent_pod();
  pod["spec"]["containers"][0].erase("command");
  pod["spec"]["containers"][0]["name"] = std::string(200, 'x');
  const json resp = post(review(pod))["response"];
  ASSERT_FALSE(resp["warnings"].empty());
  for (const auto& w : resp["warnings"]) EXPECT_LE(w.get<std::string>().size(), kMaxWarningLength);
}

TEST_F(ReviewHandlerTest, BadBodiesAre400WithTheReason) {
  const server::HttpResponse garbage =
      handler_.handle({"POST", "/mutate", "application/json", "\x01\xff{{"});
  EXPECT_EQ(garbage.status, 400);
  EXPECT_NE(garbage.body.find("not valid JSON"), std::string::npos);
  const server::HttpResponse not_review =
      handler_.handle({"POST", "/mutate", "", R"({"kind":"Pod"})"});
  EXPECT_EQ(not_review.status, 400);
  EXPECT_NE(not_review.body.find("AdmissionReview"), std::string::npos);
}

TEST_F(ReviewHandlerTest, Routing) {
  EXPECT_EQ(handler_.handle({"GET", "/mutate", "", ""}).status, 405);
  EXPECT_EQ(handler_.handle({"POST", "/other", "application/json", "{}"}).status, 404);
  EXPECT_EQ(handler_.handle({"POST", "/mutate", "text/yaml", "{}"}).status, 415);
}

TEST(ClipWarning, KeepsUtf8Whole) {
  std::string w(118, 'a');
  w += "\xc3\xa9\xc3\xa9\xc3\xa9";  // "ééé" straddles the limit
  const std::string c = clip_warning(w);
  EXPECT_LE(c.size(), kMaxWarningLength);
  EXPECT_EQ(c.substr(c.size() - 3), "...");
  EXPECT_NE(static_cast<unsigned char>(c[c.size() - 4]), 0xc3);
}

}  // namespace
}  // namespace jk::handler
