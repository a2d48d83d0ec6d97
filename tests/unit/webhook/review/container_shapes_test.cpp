// decode_container_shapes: container fields over pod fields; wrong types are errors.
#include "webhook/review/container_shapes.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "webhook/review/pod_decoder.h"

namespace jk::review {
namespace {

using nlohmann::json;
using policy::SeccompKind;

// The tests write pods as nlohmann values; the decoder reads them as JSON text.
Result<std::vector<policy::ContainerShape>> decode_container_shapes(const json& pod) {
  return decode_container_shapes_json(pod.dump());
}

json pod(json pod_sc, json container_sc) {
  json c = {{"name", "agent"}, {"image", "x"}};
  if (!container_sc.is_null()) c["securityContext"] = container_sc;
  json spec = {{"containers", json::array({c})}};
  if (!pod_sc.is_null()) spec["securityContext"] = pod_sc;
  return {{"spec", spec}};
}

TEST(ContainerShapes, ContainerFieldsOverridePodFields) {
  const auto shapes = decode_container_shapes(
      pod({{"runAsUser", 1000},
           {"runAsNonRoot", true},
           {"seccompProfile", {{"type", "RuntimeDefault"}}}},
          {{"runAsUser", 0}, {"seccompProfile", {{"type", "Unconfined"}}}}));
  ASSERT_TRUE(shapes.ok()) << shapes.error().message;
  ASSERT_EQ(shapes->size(), 1U);
  const auto& s = (*shapes)[0];
  EXPECT_EQ(s.name, "agent");
  EXPECT_EQ(s.run_as_user, 0);
  EXPECT_TRUE(s.run_as_non_root);
  EXPECT_EQ(s.seccomp, SeccompKind::kUnconfined);
}

TEST(ContainerShapes, PodFieldsApplyWhereTheContainerIsSilent) {
  const auto shapes = decode_container_shapes(
      pod({{"runAsUser", 1000},
           {"seccompProfile", {{"type", "Localhost"}, {"localhostProfile", "p.json"}}}},
          {{"allowPrivilegeEscalation", false},
           {"capabilities", {{"add", {"cap_net_admin"}}, {"drop", {"ALL"}}}}}));
  ASSERT_TRUE(shapes.ok()) << shapes.error().message;
  const auto& s = (*shapes)[0];
  EXPECT_EQ(s.run_as_user, 1000);
  EXPECT_EQ(s.seccomp, SeccompKind::kLocalhost);
  EXPECT_EQ(s.allow_privilege_escalation, false);
  EXPECT_EQ(s.add, std::vector<std::string>{"NET_ADMIN"});
  EXPECT_EQ(s.drop, std::vector<std::string>{"ALL"});
}

TEST(ContainerShapes, NothingSetIsTheRuntimesDefault) {
  const auto shapes = decode_container_shapes(pod(nullptr, nullptr));
  ASSERT_TRUE(shapes.ok());
  EXPECT_EQ((*shapes)[0], (policy::ContainerShape{"agent", {}, false, {}, {}, {}, false, {}}));
}

// Every field read, given a value of each wrong type: an error naming the field, never a throw.
TEST(ContainerShapes, TypeConfusedValuesAreErrorsNamingTheField) {
  const json wrong_values[] = {json("x"),        json(1.5),      json(true),
                               json::array({1}), json::object(), json(-1)};
  const std::vector<std::pair<std::string, bool>> fields = {{"runAsUser", false},
                                                            {"runAsNonRoot", false},
                                                            {"seccompProfile", false},
                                                            {"privileged", true},
                                                            {"allowPrivilegeEscalation", true},
                                                            {"capabilities", true}};
  for (const auto& [field, container_only] : fields) {
    for (const json& v : wrong_values) {
      const json sc = {{field, v}};
      for (const bool at_pod : {false, true}) {
        if (at_pod && container_only) continue;
        const auto shapes = decode_container_shapes(at_pod ? pod(sc, nullptr) : pod(nullptr, sc));
        const bool valid = (field == "runAsNonRoot" || field == "privileged" ||
                            field == "allowPrivilegeEscalation")
                               ? v.is_boolean()
                           : field == "capabilities" ? v.is_object()
                                                     : false;
        if (valid) continue;
        ASSERT_FALSE(shapes.ok()) << field << "=" << v.dump();
        EXPECT_NE(shapes.error().message.find(field), std::string::npos) << shapes.error().message;
      }
    }
  }
  for (const json& v : wrong_values) {
    for (const char* list : {"add", "drop"}) {
      const auto shapes = decode_container_shapes(pod(nullptr, {{"capabilities", {{list, v}}}}));
      if (v.is_array() && v.empty()) continue;
      EXPECT_FALSE(shapes.ok()) << list << "=" << v.dump();
    }
  }
  EXPECT_FALSE(
      decode_container_shapes(pod({{"seccompProfile", {{"type", "Bogus"}}}}, nullptr)).ok());
  EXPECT_FALSE(decode_container_shapes({{"spec", {{"containers", {1, 2}}}}}).ok());
  EXPECT_FALSE(decode_container_shapes({{"spec", {{"containers", "x"}}}}).ok());
}

}  // namespace
}  // namespace jk::review
