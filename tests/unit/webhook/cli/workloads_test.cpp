// Where each kind keeps its pod, how inject lifts it out as the Pod the webhook sees, and how
// the mutated pod goes back into the manifest.
#include "webhook/cli/workloads.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace jk::cli {
namespace {

using nlohmann::ordered_json;
using ::testing::HasSubstr;

const ordered_json kTemplate = ordered_json::parse(R"({
  "metadata": {"labels": {"app": "agent"}},
  "spec": {"containers": [{"name": "agent", "image": "agent:1"}]}
})");

// Wraps kTemplate at `path` of an object of `kind`.
ordered_json workload(const std::string& kind, const std::string& path) {
  ordered_json doc = {{"apiVersion", "apps/v1"},
                      {"kind", kind},
                      {"metadata", {{"name", "agent"}, {"namespace", "dev"}}}};
  if (path.empty()) {
    doc["spec"] = kTemplate["spec"];
    doc["metadata"]["labels"] = kTemplate["metadata"]["labels"];
  } else {
    doc[JsonPointer(path)] = kTemplate;
  }
  return doc;
}

struct KindCase {
  std::string kind;
  std::string template_path;
};

const std::vector<KindCase> kKinds = {
    {"Pod", ""},
    {"Deployment", "/spec/template"},
    {"StatefulSet", "/spec/template"},
    {"DaemonSet", "/spec/template"},
    {"ReplicaSet", "/spec/template"},
    {"ReplicationController", "/spec/template"},
    {"Job", "/spec/template"},
    {"CronJob", "/spec/jobTemplate/spec/template"},
    {"PodTemplate", "/template"},
};

TEST(FindWorkloads, LocatesThePodTemplateOfEveryKind) {
  for (const auto& c : kKinds) {
    const auto refs = find_workloads(workload(c.kind, c.template_path));
    ASSERT_EQ(refs.size(), 1U) << c.kind;
    EXPECT_EQ(refs[0].kind, c.kind);
    EXPECT_EQ(refs[0].name, "agent");
    EXPECT_EQ(refs[0].namespace_name, "dev");
    ASSERT_TRUE(refs[0].pod_template.has_value()) << c.kind << ": " << refs[0].skip_reason;
    EXPECT_EQ(refs[0].pod_template->to_string(), c.template_path);
  }
}

TEST(ExtractPod, BuildsThePodTheWebhookWouldSee) {
  for (const auto& c : kKinds) {
    const ordered_json doc = workload(c.kind, c.template_path);
    const auto refs = find_workloads(doc);
    ASSERT_TRUE(refs.at(0).pod_template.has_value()) << c.kind;
    // A Pod keeps its own metadata; a template's gets the namespace of the workload.
    const std::string metadata =
        c.kind == "Pod" ? R"({"name":"agent","namespace":"dev","labels":{"app":"agent"}})"
                        : R"({"labels":{"app":"agent"},"namespace":"dev"})";
    EXPECT_EQ(extract_pod(doc, refs[0], "dev").dump(),
              R"({"apiVersion":"v1","kind":"Pod","metadata":)" + metadata +
                  R"(,"spec":{"containers":[{"name":"agent","image":"agent:1"}]}})")
        << c.kind;
  }
}

TEST(WriteBackPod, PutsMutatedMetadataAndSpecIntoTheTemplateOnly) {
  for (const auto& c : kKinds) {
    ordered_json doc = workload(c.kind, c.template_path);
    const auto refs = find_workloads(doc);
    ordered_json pod = extract_pod(doc, refs.at(0), "dev");
    pod["metadata"]["annotations"] = {{"jailkeeper.io/status", "{}"}};
    pod["spec"]["containers"][0]["securityContext"] = {{"privileged", false}};
    write_back_pod(doc, refs[0], pod);

    ordered_json expected = workload(c.kind, c.template_path);
    const JsonPointer at(c.template_path);
    expected[at / "metadata" / "annotations"] = {{"jailkeeper.io/status", "{}"}};
    expected[at / "spec" / "containers" / 0 / "securityContext"] = {{"privileged", false}};
    EXPECT_EQ(doc.dump(), expected.dump()) << c.kind;
  }
}

TEST(WriteBackPod, LeavesOutTheNamespaceItAddedAndAnEmptyMetadata) {
  ordered_json doc = ordered_json::parse(
      R"({"kind":"Job","metadata":{"name":"j"},"spec":{"template":{"spec":{"containers":[]}}}})");
  const auto refs = find_workloads(doc);
  const ordered_json pod = extract_pod(doc, refs.at(0), "team-a");
  EXPECT_EQ(pod["metadata"].dump(), R"({"namespace":"team-a"})");
  write_back_pod(doc, refs[0], pod);
  EXPECT_EQ(
      doc.dump(),
      R"({"kind":"Job","metadata":{"name":"j"},"spec":{"template":{"spec":{"containers":[]}}}})");
}

TEST(WriteBackPod, KeepsANamespaceTheTemplateAlreadyHad) {
  ordered_json doc =
      ordered_json::parse(R"({"kind":"Pod","metadata":{"name":"p","namespace":"dev"},"spec":{}})");
  const auto refs = find_workloads(doc);
  write_back_pod(doc, refs.at(0), extract_pod(doc, refs[0], "override"));
  EXPECT_EQ(doc["metadata"].dump(), R"({"name":"p","namespace":"dev"})");
}

TEST(FindWorkloads, ExpandsListsRecursivelyInOrder) {
  const ordered_json doc = ordered_json::parse(R"({
    "apiVersion": "v1", "kind": "List", "items": [
      {"kind": "Service", "metadata": {"name": "svc"}},
      {"kind": "DeploymentList", "items": [
        {"kind": "Deployment", "metadata": {"name": "d1"}, "spec": {"template": {"spec": {}}}},
        {"kind": "Deployment", "metadata": {"name": "d2"}, "spec": {"template": {"spec": {}}}}
      ]},
      {"kind": "Pod", "metadata": {"generateName": "p-"}, "spec": {}}
    ]})");
  const auto refs = find_workloads(doc);
  ASSERT_EQ(refs.size(), 4U);
  EXPECT_EQ(display_name(refs[0]), "Service/svc");
  EXPECT_FALSE(refs[0].pod_template.has_value());
  EXPECT_EQ(refs[1].pod_template->to_string(), "/items/1/items/0/spec/template");
  EXPECT_EQ(refs[2].pod_template->to_string(), "/items/1/items/1/spec/template");
  EXPECT_EQ(refs[3].object.to_string(), "/items/2");
  EXPECT_EQ(refs[3].pod_template->to_string(), "/items/2");
  EXPECT_EQ(display_name(refs[3]), "Pod/p-");
}

struct SkipCase {
  std::string document;
  std::string reason;
};

TEST(FindWorkloads, ReportsWhyObjectsWithoutAPodAreSkipped) {
  const std::vector<SkipCase> cases = {
      {R"({"kind":"Service","metadata":{"name":"s"}})", "kind Service has no pod template"},
      {R"({"kind":"ConfigMap","data":{}})", "kind ConfigMap has no pod template"},
      {R"({"kind":"NodeList"})", "kind NodeList has no pod template"},  // no items: not a List
      {R"({"metadata":{"name":"x"}})", "object has no kind"},
      {R"(["a"])", "not a Kubernetes object"},
      {R"({"kind":"Deployment","spec":{}})", "Deployment has no spec/template object"},
      {R"({"kind":"CronJob","spec":{"jobTemplate":{}}})",
       "CronJob has no spec/jobTemplate/spec/template object"},
  };
  for (const auto& c : cases) {
    const auto refs = find_workloads(ordered_json::parse(c.document));
    ASSERT_EQ(refs.size(), 1U) << c.document;
    EXPECT_FALSE(refs[0].pod_template.has_value()) << c.document;
    EXPECT_EQ(refs[0].skip_reason, c.reason) << c.document;
  }
}

TEST(ApplyJsonPatch, AppliesOperationsAndKeepsKeyOrder) {
  const ordered_json pod = ordered_json::parse(R"({"spec":{"z":1,"a":{"x":1}}})");
  const auto patch = nlohmann::json::parse(R"([
    {"op":"replace","path":"/spec/z","value":2},
    {"op":"add","path":"/spec/a/y","value":[1]},
    {"op":"add","path":"/spec/a/y/-","value":2}])");
  auto patched = apply_json_patch(pod, patch);
  ASSERT_TRUE(patched.ok()) << patched.error().message;
  EXPECT_EQ(patched->dump(), R"({"spec":{"z":2,"a":{"x":1,"y":[1,2]}}})");
}

TEST(ApplyJsonPatch, ReportsAFailingOperation) {
  auto patched = apply_json_patch(ordered_json::object(),
                                  nlohmann::json::parse(R"([{"op":"remove","path":"/nope"}])"));
  ASSERT_FALSE(patched.ok());
  EXPECT_THAT(patched.error().message, HasSubstr("applying JSON patch"));
}

}  // namespace
}  // namespace jk::cli
