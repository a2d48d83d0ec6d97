// decode_pod: the pod's JSON read once, into the facts, the shapes and the form the patch
// builder needs; and the order in which mutate() reports what it could not read.
#include "webhook/review/pod_decoder.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "webhook/inject/mutate.h"

namespace jk::review {
namespace {

using inject::ContainerForm;
using inject::MutationOptions;
using inject::MutationResult;
using inject::Outcome;
using inject::Pod;
using inject::Snapshot;
using nlohmann::json;

// The tests write pods as nlohmann values; the decoder reads them as JSON text, like `inject`.
Result<Pod> decode_pod(const json& pod) { return decode_pod_json(pod.dump()); }

Pod decoded(const json& pod) {
  auto p = decode_pod(pod);
  EXPECT_TRUE(p.ok()) << (p.ok() ? "" : p.error().message);
  return p.ok() ? std::move(*p) : Pod{};
}

MutationResult mutate_on_amazon_linux(const json& pod) {
  const Snapshot snapshot{std::make_shared<const policy::PolicyConfig>(),
                          std::make_shared<const policy::NodeIndex>(std::vector<policy::Node>{}),
                          nullptr};
  return inject::mutate(decode_pod(pod), snapshot,
                        MutationOptions{"agents", policy::NodeOs::kAmazonLinux});
}

TEST(Pod, ReadsTheFormOfEachContainer) {
  const Pod p = decoded(json::parse(R"({"metadata": {"name": "a"}, "spec": {"containers": [
      {"name": "agent", "command": ["/jailkeeper/bin/jailkeeper-launch", "--", "x"],
       "volumeMounts": [{"name": "m1"}, {"name": 5}, "odd"], "env": {"not": "an array"},
       "securityContext": {"capabilities": {"add": ["CAP_NET_ADMIN", 7]},
                           "seccompProfile": {"type": "Unconfined"}}},
      {"name": "side", "command": [5], "securityContext": {"seccompProfile": {"type": "RuntimeDefault"}}}],
    "volumes": [{"name": "v"}]}})"));
  ASSERT_TRUE(p.containers.ok());
  ASSERT_EQ(p.containers->size(), 2u);
  const ContainerForm& agent = (*p.containers)[0];
  EXPECT_EQ(agent.name, "agent");
  EXPECT_TRUE(agent.security_context);
  EXPECT_TRUE(agent.capabilities);
  EXPECT_EQ(agent.capabilities_add, (std::vector<std::string_view>{"CAP_NET_ADMIN"}));
  EXPECT_TRUE(agent.seccomp_profile);
  EXPECT_TRUE(agent.seccomp_unconfined);
  EXPECT_TRUE(agent.volume_mounts.exists);
  EXPECT_EQ(agent.volume_mounts.names, (std::vector<std::string_view>{"m1"}));
  EXPECT_FALSE(agent.env.exists);
  EXPECT_TRUE(agent.command);
  EXPECT_EQ(agent.command_first, "/jailkeeper/bin/jailkeeper-launch");
  const ContainerForm& side = (*p.containers)[1];
  EXPECT_FALSE(side.capabilities);
  EXPECT_FALSE(side.capabilities_add.has_value());
  EXPECT_TRUE(side.seccomp_profile);
  EXPECT_FALSE(side.seccomp_unconfined);
  EXPECT_TRUE(side.command);
  EXPECT_EQ(side.command_first, "");  // not a string: never taken for the launcher
  EXPECT_FALSE(p.init_containers.exists);
  EXPECT_TRUE(p.volumes.has("v"));
  EXPECT_FALSE(p.annotations_object);
}

TEST(Pod, ANullAnnotationIsAbsentForThePatchAndEmptyForTheUser) {
  const Pod p = decoded(json::parse(R"({"metadata": {"name": "a", "annotations":
      {"jailkeeper.io/status": null, "jailkeeper.io/policy": null, "other": "x"}},
    "spec": {"containers": [{"name": "agent", "command": ["a"]}]}})"));
  EXPECT_TRUE(p.annotations_object);
  EXPECT_FALSE(p.annotation("jailkeeper.io/status").has_value());
  EXPECT_EQ(p.annotation("other"), std::optional<std::string_view>("x"));
  // The patch adds the status (an "add" onto a null member), never "replace"s it.
  const MutationResult r = mutate_on_amazon_linux(json::parse(R"({"metadata": {"name": "a",
      "annotations": {"jailkeeper.io/status": null, "jailkeeper.io/policy": null}},
    "spec": {"containers": [{"name": "agent", "command": ["a"]}]}})"));
  ASSERT_EQ(r.outcome, Outcome::kPatched) << r.deny_message;
  bool status_added = false;
  for (const json& op : json::parse(r.patch)) {
    if (op["path"] == "/metadata/annotations/jailkeeper.io~1status") {
      status_added = op["op"] == "add";
    }
  }
  EXPECT_TRUE(status_added) << r.patch;
}

// Containers that cannot be read deny the pod only once the skip rules let it through, as
// before the pod was decoded in one place: a hostNetwork pod stays skipped.
// Annotations are looked up by binary search over the decoded (sorted) list: every key is
// found whatever the document's order; of a key written twice the last string counts.
TEST(Pod, EveryAnnotationIsFoundAndTheLastOfADuplicateCounts) {
  const Pod p = decoded(json::parse(R"({"metadata": {"annotations": {
      "z.example/last": "1", "jailkeeper.io/containers": "agent", "a.example/first": "2",
      "m.example/dup": "old", "b.example/null": null, "m.example/dup": "new"}},
    "spec": {"containers": [{"name": "agent"}]}})"));
  EXPECT_EQ(p.annotation("z.example/last"), std::optional<std::string_view>("1"));
  EXPECT_EQ(p.annotation("a.example/first"), std::optional<std::string_view>("2"));
  EXPECT_EQ(p.annotation("jailkeeper.io/containers"), std::optional<std::string_view>("agent"));
  EXPECT_EQ(p.annotation("m.example/dup"), std::optional<std::string_view>("new"));
  EXPECT_FALSE(p.annotation("b.example/null").has_value());
  EXPECT_FALSE(p.annotation("not.there").has_value());
  EXPECT_FALSE(p.annotation("").has_value());
}

TEST(Pod, ContainerErrorsComeAfterTheSkipRules) {
  for (const json& containers : {json("x"), json::array({json::object()}),
                                 json::array({{{"name", "a"}, {"securityContext", 5}}})}) {
    json pod = {{"metadata", {{"name", "a"}}}, {"spec", {{"containers", containers}}}};
    const Pod p = decoded(pod);  // decoding itself succeeds: the errors wait in the value
    EXPECT_FALSE(p.containers.ok() && p.shapes.ok()) << containers.dump();
    const MutationResult denied = mutate_on_amazon_linux(pod);
    EXPECT_EQ(denied.outcome, Outcome::kDenied) << containers.dump();
    EXPECT_EQ(denied.deny_code, 400);
    pod["spec"]["hostNetwork"] = true;
    const MutationResult skipped = mutate_on_amazon_linux(pod);
    EXPECT_EQ(skipped.outcome, Outcome::kSkipped) << containers.dump();
    EXPECT_EQ(skipped.skip_reason, "hostNetwork");
  }
}

TEST(Pod, FactsErrorsFailTheDecoding) {
  EXPECT_FALSE(decode_pod(json::array()).ok());
  EXPECT_FALSE(decode_pod(json{{"metadata", {{"name", "a"}}}}).ok());  // no spec
  const MutationResult r = mutate_on_amazon_linux(json{{"spec", {{"hostNetwork", "yes"}}}});
  EXPECT_EQ(r.outcome, Outcome::kDenied);
  EXPECT_EQ(r.deny_message,
            "jailkeeper: cannot read the pod: spec.hostNetwork: expected true or false");
}

}  // namespace
}  // namespace jk::review
