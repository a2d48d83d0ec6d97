// Offline inventory files: nodes, and namespaces when the file lists them.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "webhook/inventory/namespace_list.h"
#include "webhook/inventory/node_list.h"

namespace jk::inventory {
namespace {

std::vector<std::string> namespace_names(const InventoryDocument& doc) {
  std::vector<std::string> names;
  for (const auto& ns : *doc.namespaces) names.push_back(ns.name);
  return names;
}

TEST(InventoryFile, NodeListHasNoNamespaceView) {
  auto doc = decode_inventory(R"({"kind":"NodeList","items":[{"metadata":{"name":"a"}}]})");
  ASSERT_TRUE(doc.ok()) << doc.error().message;
  EXPECT_EQ(doc->nodes.size(), 1u);
  EXPECT_FALSE(doc->namespaces.has_value());
}

TEST(InventoryFile, AListOfNodesAndNamespacesSortsItemsByKind) {
  auto doc = decode_inventory(R"({"kind":"List","items":[
      {"kind":"Node","metadata":{"name":"n1"}},
      {"kind":"Namespace","metadata":{"name":"agents","labels":{"jailkeeper.io/inject":"enabled"}}},
      {"kind":"Node","metadata":{"name":"n2"}}]})");
  ASSERT_TRUE(doc.ok()) << doc.error().message;
  EXPECT_EQ(doc->nodes.size(), 2u);
  ASSERT_TRUE(doc->namespaces.has_value());
  EXPECT_EQ(namespace_names(*doc), std::vector<std::string>{"agents"});
  EXPECT_EQ(doc->namespaces->front().labels.at("jailkeeper.io/inject"), "enabled");
}

TEST(InventoryFile, SectionsFormatGivesBoth) {
  auto doc = decode_inventory(R"({"nodes":[{"metadata":{"name":"n1"}}],
      "namespaces":[{"metadata":{"name":"a"}},{"metadata":{"name":"b","labels":{"x":"y"}}}]})");
  ASSERT_TRUE(doc.ok()) << doc.error().message;
  EXPECT_EQ(doc->nodes.size(), 1u);
  EXPECT_EQ(namespace_names(*doc), (std::vector<std::string>{"a", "b"}));
}

TEST(InventoryFile, EmptyNamespacesSectionIsAKnownEmptyView) {
  auto doc = decode_inventory(R"({"namespaces":[]})");
  ASSERT_TRUE(doc.ok()) << doc.error().message;
  EXPECT_TRUE(doc->nodes.empty());
  ASSERT_TRUE(doc->namespaces.has_value());
  EXPECT_TRUE(doc->namespaces->empty());
}

TEST(InventoryFile, ErrorsNameThePath) {
  const std::pair<const char*, const char*> cases[] = {
      {R"({"namespaces":{}})", "namespaces: expected an array"},
      {R"({"namespaces":[{"metadata":{}}]})", "namespaces[0].metadata.name: missing"},
      {R"({"namespaces":[{"metadata":{"name":"a","labels":{"k":1}}}]})",
       "namespaces[0].metadata.labels.k: expected a string"},
      {R"({"kind":"List","items":[{"kind":"Namespace","metadata":{"name":"a","labels":[]}}]})",
       "items[0].metadata.labels: expected an object"},
      {R"({"nodes":7})", "nodes: expected an array"},
  };
  for (const auto& [input, want] : cases) {
    auto r = decode_inventory(input);
    ASSERT_FALSE(r.ok()) << input;
    EXPECT_NE(r.error().message.find(want), std::string::npos)
        << input << ": " << r.error().message;
  }
}

TEST(NamespaceDecode, WatchEventObjectKeepsNameAndLabelsOnly) {
  auto ns = decode_namespace(nlohmann::json::parse(R"({"metadata":{"name":"team-a",
      "labels":{"pod-security.kubernetes.io/enforce":"baseline"},"annotations":{"a":"b"}},
      "status":{"phase":"Active"}})"));
  ASSERT_TRUE(ns.ok()) << ns.error().message;
  EXPECT_EQ(ns->name, "team-a");
  EXPECT_EQ(ns->labels, (policy::Labels{{"pod-security.kubernetes.io/enforce", "baseline"}}));
}

}  // namespace
}  // namespace jk::inventory
