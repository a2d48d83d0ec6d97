// PodAudit, the core of the continuous audit: watch events and inventory changes move the
// jailkeeper_pods gauges and produce Events; GET /audit answers the audit JSON.
#include "webhook/podaudit/pod_audit.h"

#include <gtest/gtest.h>

#include "tests/unit/webhook/audit/audit_fixture.h"
#include "webhook/audit/report.h"

namespace jk::podaudit {
namespace {

using audit::testing::fixture_node;
using audit::testing::golden_pod;
using nlohmann::json;

// An inventory whose snapshot the test replaces, as the live sources publish new ones.
class FakeNodes final : public inventory::NodeSource {
 public:
  std::shared_ptr<const policy::NodeIndex> index;
  bool is_ready = true;
  [[nodiscard]] std::shared_ptr<const policy::NodeIndex> snapshot() const override { return index; }
  [[nodiscard]] bool ready() const override { return is_ready; }
  [[nodiscard]] std::string describe() const override { return "fake"; }
};

class RecordedEvents final : public EventSink {
 public:
  void record(PodEvent event) override { events.push_back(std::move(event)); }
  std::vector<PodEvent> events;
};

class PodAuditTest : public ::testing::Test {
 protected:
  PodAuditTest()
      : al_(fixture_node("al2023.json")),
        nodes_(std::make_shared<FakeNodes>()),
        namespaces_(std::make_shared<inventory::StaticNamespaceSource>(
            std::vector<policy::Namespace>{{"agents", {{"jailkeeper.io/inject", "enabled"}}}},
            "test")),
        metrics_(registry_),
        audit_(nodes_, namespaces_, TableSettings{}, metrics_, events_, "replica-a") {
    nodes_->index = std::make_shared<const policy::NodeIndex>(std::vector<policy::Node>{al_});
  }

  json pod(const std::string& name) {
    json p = golden_pod("amazon-linux-nodegroup");
    p["metadata"]["name"] = name;
    p["metadata"]["namespace"] = "agents";
    p["metadata"]["uid"] = "uid-" + name;
    p["spec"]["nodeName"] = al_.name;
    return p;
  }
  std::string gauge_line(const std::string& verdict, const std::string& os) {
    return "jailkeeper_pods{namespace=\"agents\",verdict=\"" + verdict + "\",node_os=\"" + os +
           "\",jail=\"nsjail\"}";
  }
  bool has(const std::string& line) { return registry_.render().find(line) != std::string::npos; }

  policy::Node al_;
  std::shared_ptr<FakeNodes> nodes_;
  std::shared_ptr<inventory::StaticNamespaceSource> namespaces_;
  metrics::Registry registry_;
  PodMetrics metrics_;
  RecordedEvents events_;
  PodAudit audit_;
};

TEST_F(PodAuditTest, WatchEventsMoveGaugesAndRecordEvents) {
  audit_.replace({pod("ok")});
  EXPECT_TRUE(has(gauge_line("OK", "amazon-linux") + " 1"));
  EXPECT_TRUE(events_.events.empty());

  json stripped = pod("stripped");
  stripped["spec"]["containers"][0]["command"] = json::array({"claude"});  // unwrapped
  audit_.apply(kube::EventType::kAdded, stripped);
  EXPECT_TRUE(has(gauge_line("TAMPERED", "amazon-linux") + " 1"));
  ASSERT_EQ(events_.events.size(), 1U);
  EXPECT_NE(events_.events[0].body.find("JailTampered"), std::string::npos);

  audit_.apply(kube::EventType::kModified, stripped);  // nothing new: no second Event
  EXPECT_EQ(events_.events.size(), 1U);
  audit_.apply(kube::EventType::kDeleted, stripped);
  EXPECT_TRUE(has(gauge_line("TAMPERED", "amazon-linux") + " 0"));
  EXPECT_EQ(audit_.size(), 1U);
}

TEST_F(PodAuditTest, InventoryChangesAreNoticedByRefresh) {
  audit_.replace({pod("ok")});
  policy::Node br = fixture_node("bottlerocket.json");
  br.name = al_.name;
  nodes_->index = std::make_shared<const policy::NodeIndex>(std::vector<policy::Node>{br});
  EXPECT_TRUE(events_.events.empty());  // not before refresh
  audit_.refresh();
  EXPECT_TRUE(has(gauge_line("DRIFT", "bottlerocket") + " 1"));
  EXPECT_TRUE(has(gauge_line("OK", "amazon-linux") + " 0"));
  ASSERT_EQ(events_.events.size(), 1U);
  EXPECT_NE(events_.events[0].body.find("JailDrift"), std::string::npos);
}

TEST_F(PodAuditTest, NothingIsJudgedBeforeTheInventoryIsReady) {
  nodes_->is_ready = false;
  json stripped = pod("stripped");
  stripped["spec"]["containers"][0]["command"] = json::array({"claude"});  // unwrapped
  audit_.replace({pod("ok"), stripped});
  EXPECT_FALSE(audit_.inventory_ready());
  EXPECT_EQ(registry_.render().find("jailkeeper_pods{"), std::string::npos);
  EXPECT_TRUE(events_.events.empty());
  nodes_->is_ready = true;
  audit_.refresh();
  EXPECT_TRUE(has(gauge_line("OK", "amazon-linux") + " 1"));
  EXPECT_TRUE(has(gauge_line("TAMPERED", "amazon-linux") + " 1"));
  EXPECT_EQ(events_.events.size(), 1U);
}

TEST_F(PodAuditTest, AuditEndpoint) {
  audit_.replace({pod("ok")});
  const auto not_yet = audit_endpoint(audit_, false, {"GET", "/audit", "", ""});
  EXPECT_EQ(not_yet.status, 503);
  const auto answer = audit_endpoint(audit_, true, {"GET", "/audit", "", ""});
  EXPECT_EQ(answer.status, 200);
  EXPECT_EQ(answer.content_type, "application/json");
  const auto rows = json::parse(answer.body);
  ASSERT_EQ(rows.size(), 1U);
  EXPECT_EQ(rows[0]["pod"], "ok");
  EXPECT_EQ(rows[0]["verdict"], "OK");
  EXPECT_EQ(json::parse(audit_endpoint(audit_, true, {"GET", "/audit?namespace=x", "", ""}).body),
            json::array());
  EXPECT_EQ(audit_endpoint(audit_, true, {"GET", "/audit?namespace=a&all=true", "", ""}).status,
            400);
  EXPECT_EQ(audit_endpoint(audit_, true, {"POST", "/audit", "", ""}).status, 400);
}

}  // namespace
}  // namespace jk::podaudit
