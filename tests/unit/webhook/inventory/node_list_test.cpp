#include "webhook/inventory/node_list.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "webhook/inventory/inventory.h"

namespace jk::inventory {
namespace {

std::string read(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(NodeList, DecodesANodeWithEveryField) {
  auto nodes = decode_node_list(
      read(std::string(JK_SOURCE_DIR) + "/tests/fixtures/k8s/node-every-field.json"));
  ASSERT_TRUE(nodes.ok()) << nodes.error().message;
  ASSERT_EQ(nodes->size(), 1U);
  const policy::Node& n = nodes->front();
  EXPECT_EQ(n.os_image, "osImageValue");
  EXPECT_EQ(n.os, policy::NodeOs::kOther);  // unknown strings are never misread
  EXPECT_FALSE(n.kernel.has_value());       // "kernelVersionValue" is not a version
  ASSERT_EQ(n.taints.size(), 1U);
  EXPECT_EQ(n.taints[0].key, "keyValue");
  EXPECT_EQ(n.taints[0].effect, "effectValue");
}

TEST(NodeList, DecodesTheGoldenCluster) {
  auto source = load_node_file(std::string(JK_SOURCE_DIR) + "/tests/fixtures/golden/nodes.json");
  ASSERT_TRUE(source.ok()) << source.error().message;
  const auto index = (*source)->snapshot();
  ASSERT_EQ(index->size(), 5U);
  const auto* fargate = index->by_name("fargate-ip-192-168-30-1.us-west-2.compute.internal");
  ASSERT_NE(fargate, nullptr);
  EXPECT_EQ(fargate->os, policy::NodeOs::kFargate);
  EXPECT_EQ(fargate->kernel->str(), "5.10.234");
  const auto* auto_node = index->by_name("i-0a1b2c3d4e5f60718");
  ASSERT_NE(auto_node, nullptr);
  EXPECT_EQ(auto_node->os, policy::NodeOs::kBottlerocket);
  EXPECT_TRUE(auto_node->user_namespaces_off);
  EXPECT_EQ(index->with_label("eks.amazonaws.com/nodegroup", "general").size(), 1U);
  EXPECT_EQ(index->with_key("eks.amazonaws.com/compute-type").size(), 2U);
}

TEST(NodeList, TheArchitectureIsTheSchedulersLabelElseNodeInfo) {
  auto nodes = decode_node_list(R"({"items":[
    {"metadata":{"labels":{"kubernetes.io/arch":"arm64"}},
     "status":{"nodeInfo":{"architecture":"amd64"}}},
    {"metadata":{"labels":{"beta.kubernetes.io/arch":"s390x"}},
     "status":{"nodeInfo":{"architecture":"arm64"}}},
    {"metadata":{"labels":{"kubernetes.io/arch":""}}, "status":{"nodeInfo":{}}},
    {}]})");
  ASSERT_TRUE(nodes.ok()) << nodes.error().message;
  ASSERT_EQ(nodes->size(), 4U);
  EXPECT_EQ((*nodes)[0].arch, "arm64");  // the label is what the scheduler matches
  EXPECT_EQ((*nodes)[1].arch, "arm64");
  EXPECT_EQ((*nodes)[2].arch, "");
  EXPECT_EQ((*nodes)[3].arch, "");
  auto golden =
      decode_node_list(read(std::string(JK_SOURCE_DIR) + "/tests/fixtures/nodes/al2023.json"));
  ASSERT_TRUE(golden.ok()) << golden.error().message;
  EXPECT_EQ(golden->front().arch, "amd64");
}

TEST(NodeList, OddNodesStillDecode) {
  // No status, no labels, null taints: classified as other, no kernel.
  auto nodes = decode_node_list(R"({"kind":"NodeList","items":[{"metadata":{"name":"bare"},
    "spec":{"taints":null}}, {}]})");
  ASSERT_TRUE(nodes.ok()) << nodes.error().message;
  ASSERT_EQ(nodes->size(), 2U);
  EXPECT_EQ((*nodes)[0].os, policy::NodeOs::kOther);
}

TEST(NodeList, WrongTypesAreErrorsNamingThePath) {
  const std::pair<const char*, const char*> cases[] = {
      {"", "not valid JSON"},
      {"[1]", "expected a NodeList"},
      {R"({"kind":"Pod"})", "expected a NodeList"},
      {R"({"kind":7})", "kind: expected a string"},
      {R"({"items":[{"metadata":{"labels":{"a":1}}}]})", "items[0].metadata.labels.a"},
      {R"({"items":[{"spec":{"taints":[{"key":1}]}}]})", "items[0].spec.taints[0].key"},
      {R"({"items":[{"status":{"nodeInfo":{"osImage":[]}}}]})", "items[0].status.nodeInfo.osImage"},
      {R"({"items":[{"status":{"nodeInfo":{"architecture":1}}}]})",
       "items[0].status.nodeInfo.architecture"},
      {R"({"items":[3]})", "items[0]: expected a Node object"},
  };
  for (const auto& [input, want] : cases) {
    auto r = decode_node_list(input);
    ASSERT_FALSE(r.ok()) << input;
    EXPECT_NE(r.error().message.find(want), std::string::npos)
        << input << ": " << r.error().message;
  }
}

TEST(NodeFile, MissingFileNamesPathAndReason) {
  auto r = load_node_file("/nonexistent/nodes.json");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "nodes /nonexistent/nodes.json: No such file or directory");
}

}  // namespace
}  // namespace jk::inventory
