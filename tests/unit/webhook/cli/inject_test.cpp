// `inject` end to end through the real inject::mutate: what comes out, in which order, what the
// report says, exit codes, and that injecting the output again changes nothing.
#include "webhook/cli/inject.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "webhook/cli/yaml_json.h"
#include "webhook/inventory/inventory.h"

namespace jk::cli {
namespace {

using nlohmann::ordered_json;
using ::testing::HasSubstr;
using ::testing::Not;

const std::string kSourceDir = JK_SOURCE_DIR;

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << path;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::shared_ptr<const inventory::NodeSource> no_nodes() {
  return std::make_shared<inventory::StaticNodeSource>(std::vector<policy::Node>{}, "none");
}

std::shared_ptr<const inventory::NodeSource> example_nodes() {
  auto source = inventory::load_node_file(kSourceDir + "/deploy/examples/nodes.json");
  EXPECT_TRUE(source.ok()) << source.error().message;
  return source.ok() ? std::shared_ptr<const inventory::NodeSource>(*source) : no_nodes();
}

struct InjectRun {
  int rc = -1;
  std::string out;
  std::string err;
};

InjectRun inject(const std::string& input, const InjectOptions& opts,
                 std::shared_ptr<const inventory::NodeSource> nodes = no_nodes()) {
  const inject::Snapshot snapshot{std::make_shared<const policy::PolicyConfig>(), nodes->snapshot(),
                                  nullptr};
  std::istringstream in(input);
  std::ostringstream out;
  std::ostringstream err;
  InjectRun r;
  r.rc = run_inject(opts, in, out, err, snapshot);
  r.out = out.str();
  r.err = err.str();
  return r;
}

InjectOptions on(policy::NodeOs os) {
  InjectOptions opts;
  opts.forced_os = os;
  return opts;
}

std::vector<ordered_json> documents(const std::string& text) {
  auto docs = parse_documents(text);
  EXPECT_TRUE(docs.ok()) << docs.error().message;
  return docs.ok() ? *docs : std::vector<ordered_json>{};
}

TEST(Inject, PreparesTheExampleDeploymentForBottlerocketAndIsIdempotent) {
  const std::string input = read_file(kSourceDir + "/deploy/examples/agent-deployment.yaml");
  const InjectRun first = inject(input, on(policy::NodeOs::kBottlerocket));
  ASSERT_EQ(first.rc, kInjectOk) << first.err;

  const auto docs = documents(first.out);
  ASSERT_EQ(docs.size(), 2U);
  EXPECT_EQ(docs[0]["kind"], "Deployment");
  const ordered_json& agent = docs[0]["spec"]["template"]["spec"]["containers"][0];
  // The example drops ALL and runs as root: SETFCAP back to map uid 0; Bottlerocket's
  // RuntimeDefault lifted by option A.
  EXPECT_EQ(agent["securityContext"]["capabilities"]["add"],
            ordered_json::parse(R"(["CHOWN","DAC_OVERRIDE","SETFCAP"])"));
  EXPECT_EQ(agent["securityContext"]["capabilities"]["drop"], ordered_json::parse(R"(["ALL"])"));
  EXPECT_EQ(agent["securityContext"]["seccompProfile"]["type"], "Unconfined");
  EXPECT_EQ(docs[1], documents(input)[1]) << "the Service passes through unchanged";
  EXPECT_THAT(first.err, HasSubstr("Deployment/agent (namespace agents): patched nsjail on "
                                   "bottlerocket: agent: add capability SETFCAP"));
  EXPECT_THAT(first.err, HasSubstr("Service/agent (namespace agents): skipped: kind Service has "
                                   "no pod template\n"));

  const InjectRun second = inject(first.out, on(policy::NodeOs::kBottlerocket));
  EXPECT_EQ(second.rc, kInjectOk) << second.err;
  EXPECT_EQ(second.out, first.out);
  EXPECT_THAT(second.err, HasSubstr("Deployment/agent (namespace agents): unchanged"));
}

TEST(Inject, PredictsTheNodeOsFromTheInventoryAndJailsOnlyTheNamedContainer) {
  const InjectRun r = inject(read_file(kSourceDir + "/deploy/examples/agent-pod.yaml"),
                             InjectOptions{}, example_nodes());
  ASSERT_EQ(r.rc, kInjectOk) << r.err;
  EXPECT_THAT(r.err,
              HasSubstr("Pod/claude-agent (namespace agents): patched nsjail on bottlerocket"));
  const auto docs = documents(r.out);
  ASSERT_EQ(docs.size(), 1U);
  const ordered_json& containers = docs[0]["spec"]["containers"];
  EXPECT_EQ(containers[0]["securityContext"]["seccompProfile"]["type"], "Unconfined");
  EXPECT_EQ(containers[1]["name"], "metrics");
  EXPECT_FALSE(containers[1].contains("securityContext")) << "metrics is not jailed";
}

TEST(Inject, GrantsNoCapabilityOnFargate) {
  const InjectRun r = inject(read_file(kSourceDir + "/deploy/examples/agent-deployment.yaml"),
                             on(policy::NodeOs::kFargate));
  ASSERT_EQ(r.rc, kInjectOk) << r.err;
  EXPECT_THAT(r.err, HasSubstr("patched landjail on fargate"));
  EXPECT_THAT(r.out, Not(HasSubstr("NET_ADMIN")));
  EXPECT_THAT(r.out, Not(HasSubstr("type: Unconfined")));
}

const char* const kDeniedThenGood = R"(apiVersion: v1
kind: Pod
metadata:
  name: typo
  annotations:
    jailkeeper.io/containers: agnet
spec:
  containers:
    - name: agent
      image: agent:1
      command: [claude]
---
apiVersion: v1
kind: Pod
metadata:
  name: good
spec:
  containers:
    - name: agent
      image: agent:1
      command: [claude]
)";

TEST(Inject, ExitsOneOnADenialButStillPrintsEveryDocument) {
  const InjectRun r = inject(kDeniedThenGood, on(policy::NodeOs::kAmazonLinux));
  EXPECT_EQ(r.rc, kInjectDenied);
  const auto docs = documents(r.out);
  ASSERT_EQ(docs.size(), 2U);
  EXPECT_EQ(docs[0], documents(kDeniedThenGood)[0]) << "the denied pod is left as it was";
  EXPECT_THAT(docs[1].dump(), HasSubstr("/jailkeeper/bin/jailkeeper-launch"));
  EXPECT_THAT(r.err, HasSubstr("Pod/typo (namespace default): denied: "));
  EXPECT_THAT(r.err, HasSubstr("agnet"));
  EXPECT_THAT(r.err, HasSubstr("Pod/good (namespace default): patched nsjail on amazon-linux"));
}

TEST(Inject, ReportsSkippedPodsAndTheNamespaceTheyWereJudgedIn) {
  const std::string pod = "kind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: a}]\n";
  InjectOptions opts = on(policy::NodeOs::kAmazonLinux);
  opts.namespace_name = "kube-system";
  const InjectRun r = inject(pod, opts);
  EXPECT_EQ(r.rc, kInjectOk);
  EXPECT_EQ(r.err, "Pod/p (namespace kube-system): skipped: skipped-namespace\n");
  EXPECT_EQ(documents(r.out), documents(pod));
  EXPECT_THAT(r.out, Not(HasSubstr("namespace")));
}

struct InputErrorCase {
  std::string input;
  std::string message;
};

TEST(Inject, ExitsTwoOnUnreadableInputAndPrintsNothing) {
  const std::vector<InputErrorCase> cases = {
      {"kind: Pod\n---\nkind: [\n", "jailkeeper-webhook inject: stdin: document 2, line 4"},
      {"{\"kind\": \"Pod\", \"spec\": [}", "invalid JSON"},
      {"a: 1\na: 2\n", "duplicate key"},
  };
  for (const auto& c : cases) {
    const InjectRun r = inject(c.input, InjectOptions{});
    EXPECT_EQ(r.rc, kInjectInputError) << c.input;
    EXPECT_EQ(r.out, "") << c.input;
    EXPECT_THAT(r.err, HasSubstr(c.message)) << c.input;
  }
}

TEST(Inject, WritesJsonAsTheObjectOrAList) {
  InjectOptions opts = on(policy::NodeOs::kAmazonLinux);
  opts.output = std::string(kOutputJson);
  const InjectRun one = inject("kind: ConfigMap\nmetadata: {name: c}\ndata: {a: \"1\"}\n", opts);
  EXPECT_EQ(one.out,
            "{\n  \"kind\": \"ConfigMap\",\n  \"metadata\": {\n    \"name\": \"c\"\n  },\n"
            "  \"data\": {\n    \"a\": \"1\"\n  }\n}\n");
  const InjectRun two = inject("kind: A\n---\nkind: B\n", opts);
  EXPECT_EQ(ordered_json::parse(two.out).dump(),
            R"({"apiVersion":"v1","kind":"List","items":[{"kind":"A"},{"kind":"B"}]})");
  EXPECT_EQ(two.err,
            "A/<unnamed> (namespace default): skipped: kind A has no pod template\n"
            "B/<unnamed> (namespace default): skipped: kind B has no pod template\n");
}

TEST(Inject, MutatesPodsInsideAListInPlace) {
  const std::string list = R"({"apiVersion": "v1", "kind": "List", "items": [
    {"kind": "ConfigMap", "metadata": {"name": "c"}},
    {"kind": "CronJob", "metadata": {"name": "nightly", "namespace": "agents"},
     "spec": {"schedule": "0 3 * * *", "jobTemplate": {"spec": {"template": {"spec": {
       "restartPolicy": "Never", "containers": [{"name": "agent", "command": ["claude"]}]}}}}}}]})";
  const InjectRun r = inject(list, on(policy::NodeOs::kAmazonLinux));
  ASSERT_EQ(r.rc, kInjectOk) << r.err;
  const auto docs = documents(r.out);
  ASSERT_EQ(docs.size(), 1U);
  EXPECT_EQ(docs[0]["items"][0],
            ordered_json::parse(R"({"kind":"ConfigMap","metadata":{"name":"c"}})"));
  const ordered_json& tmpl = docs[0]["items"][1]["spec"]["jobTemplate"]["spec"]["template"];
  EXPECT_EQ(tmpl["spec"]["containers"][0]["command"][0], "/jailkeeper/bin/jailkeeper-launch");
  EXPECT_FALSE(tmpl["spec"]["containers"][0].contains("securityContext"))
      << "Amazon Linux with user namespaces: the jail needs no grant";
  EXPECT_TRUE(tmpl["metadata"]["annotations"].contains("jailkeeper.io/status"));
  EXPECT_FALSE(tmpl["metadata"].contains("namespace"));
  EXPECT_THAT(r.err,
              HasSubstr("CronJob/nightly (namespace agents): patched nsjail on amazon-linux"));
}

TEST(Inject, EmptyInputIsNoDocuments) {
  const InjectRun r = inject("# nothing here\n", InjectOptions{});
  EXPECT_EQ(r.rc, kInjectOk);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "");
}

}  // namespace
}  // namespace jk::cli
