"""`jailkeeper-webhook audit`: the real binary against the fake API server over TLS with a bearer
token. The cluster holds one pod per verdict, built from the golden fixtures' patched pods (what
the webhook really writes), on nodes from tests/fixtures/nodes."""
import base64
import copy
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest
import warnings

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "support"))
from fake_apiserver import FakeApiServer  # noqa: E402
from pki import Pki  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BINARY = os.environ.get("JK_WEBHOOK_BIN", os.path.join(ROOT, "build", "webhook", "jailkeeper-webhook"))
GOLDEN = os.path.join(ROOT, "tests", "fixtures", "golden")
NODES = os.path.join(ROOT, "tests", "fixtures", "nodes")
TOKEN = "audit-s3cret"
RUN_TIMEOUT_S = 60


def load(path):
    with open(path) as f:
        return json.load(f)


def node(name):
    return load(os.path.join(NODES, name))


def golden(case, name, file="expected-pod.json", node_name=None, namespace="agents"):
    pod = load(os.path.join(GOLDEN, case, file))
    pod["metadata"]["name"] = name
    pod["metadata"]["namespace"] = namespace
    pod["metadata"].pop("generateName", None)
    if node_name:
        pod["spec"]["nodeName"] = node_name
    return pod


def namespace(name, opted_in):
    labels = {"jailkeeper.io/inject": "enabled"} if opted_in else {}
    return {"metadata": {"name": name, "labels": labels}}


AL2023 = node("al2023.json")
BOTTLEROCKET = node("bottlerocket.json")
AL_NODE = AL2023["metadata"]["name"]
BR_NODE = BOTTLEROCKET["metadata"]["name"]


def cluster_pods():
    """One pod per verdict in the opted-in namespace "agents", and one in "plain"."""
    ok = golden("amazon-linux-nodegroup", "ok", node_name=AL_NODE)
    pending = golden("bottlerocket-karpenter", "pending")
    unpatched = golden("amazon-linux-nodegroup", "unpatched", file="pod.json", node_name=AL_NODE)
    drift = golden("amazon-linux-nodegroup", "drift", node_name=BR_NODE)
    tampered = golden("amazon-linux-nodegroup", "tampered", node_name=AL_NODE)
    tampered["spec"]["containers"][0]["command"] = ["claude"]
    skipped = golden("amazon-linux-nodegroup", "host-net", file="pod.json", node_name=AL_NODE)
    skipped["spec"]["hostNetwork"] = True
    plain = golden("amazon-linux-nodegroup", "not-opted-in", file="pod.json", node_name=AL_NODE,
                   namespace="plain")
    return [ok, pending, unpatched, drift, tampered, skipped, plain]


EXPECTED = {
    "ok": "OK", "pending": "OK", "unpatched": "UNPATCHED", "drift": "DRIFT",
    "tampered": "TAMPERED", "host-net": "SKIPPED",
}


class AuditCli(unittest.TestCase):
    def setUp(self):
        warnings.simplefilter("ignore", ResourceWarning)
        self.tmp = tempfile.mkdtemp(prefix="jk-audit-")
        self.addCleanup(shutil.rmtree, self.tmp, True)
        self.pki = Pki(self.tmp)
        cert, key, _ = self.pki.issue("apiserver")
        self.api = FakeApiServer(cert, key, token=TOKEN)
        self.api.start()
        self.addCleanup(self.api.stop)
        for ns in (namespace("agents", True), namespace("plain", False), namespace("clean", True)):
            self.api.add("Namespace", ns)
        self.api.add("Node", AL2023)
        self.api.add("Node", BOTTLEROCKET)
        for pod in cluster_pods():
            self.api.add("Pod", pod)
        self.api.add("Pod", golden("amazon-linux-nodegroup", "good", node_name=AL_NODE,
                                   namespace="clean"))
        self.kubeconfig = self.write_kubeconfig("kubeconfig", self.api.port, TOKEN)

    def write_kubeconfig(self, name, port, token):
        with open(self.pki.ca_cert, "rb") as f:
            ca = base64.b64encode(f.read()).decode()
        path = os.path.join(self.tmp, name)
        with open(path, "w") as f:
            f.write(f"""apiVersion: v1
kind: Config
current-context: fake
clusters:
- name: fake
  cluster:
    server: https://127.0.0.1:{port}
    certificate-authority-data: {ca}
users:
- name: fake
  user:
    token: {token}
contexts:
- name: fake
  context: {{cluster: fake, user: fake}}
""")
        return path

    def audit(self, *args, kubeconfig=None):
        env = {k: v for k, v in os.environ.items() if k not in ("KUBECONFIG", "POD_NAMESPACE")}
        env["HOME"] = self.tmp  # no ~/.kube/config of the machine
        proc = subprocess.run([BINARY, "audit", "--kubeconfig", kubeconfig or self.kubeconfig, *args],
                              capture_output=True, text=True, timeout=RUN_TIMEOUT_S, env=env)
        return proc.returncode, proc.stdout, proc.stderr

    def audit_json(self, *args):
        code, out, err = self.audit("-o", "json", *args)
        self.assertIn(code, (0, 1), err)
        return code, {row["pod"]: row for row in json.loads(out)}

    # --- output -----------------------------------------------------------------------------

    def test_table_has_one_aligned_row_per_pod_and_a_summary(self):
        code, out, err = self.audit()
        self.assertEqual(code, 1, err)
        lines = out.splitlines()
        self.assertTrue(lines[0].startswith("NAMESPACE"), out)
        self.assertEqual(lines[-1], "7 pods: 3 OK, 1 UNPATCHED, 1 DRIFT, 1 TAMPERED, 1 SKIPPED")
        rows = lines[1:-1]
        self.assertEqual(len(rows), 7, out)
        column = lines[0].index("VERDICT")
        verdicts = {}
        for row in rows:
            ns, pod = row.split()[:2]
            verdicts[f"{ns}/{pod}"] = row[column:].split()[0]  # aligned: the column lines up
        want = {f"agents/{pod}": v for pod, v in EXPECTED.items()}
        want["clean/good"] = "OK"
        self.assertEqual(verdicts, want)
        pending = next(r for r in rows if r.split()[1] == "pending")
        self.assertEqual(pending.split()[2], "pending")  # the node column of an unscheduled pod

    def test_json_reports_node_os_recorded_os_jail_verdict_and_reason(self):
        code, rows = self.audit_json("-n", "agents")
        self.assertEqual(code, 1)
        self.assertEqual({pod: row["verdict"] for pod, row in rows.items()}, EXPECTED)
        for row in rows.values():
            self.assertLessEqual({"namespace", "pod", "node", "nodeOS", "jail", "verdict", "reason"},
                                 set(row))
        drift = rows["drift"]
        self.assertEqual((drift["node"], drift["nodeOS"], drift["kernel"], drift["arch"]),
                         (BR_NODE, "bottlerocket", "6.1.119", "amd64"))
        self.assertEqual(rows["pending"]["arch"], "")
        self.assertEqual((drift["recordedOS"], drift["jail"]), ("amazon-linux", "nsjail"))
        self.assertIn("predicted amazon-linux, runs on bottlerocket", drift["reason"])
        self.assertIn("agent: command not wrapped", rows["tampered"]["reason"])
        self.assertEqual(rows["host-net"]["reason"], "hostNetwork")
        self.assertIn("no jailkeeper.io/status", rows["unpatched"]["reason"])
        self.assertEqual(rows["pending"]["node"], "pending")
        self.assertIn("pending", rows["pending"]["reason"])

    def test_all_namespaces_includes_pods_of_namespaces_not_opted_in(self):
        _, default_rows = self.audit_json()
        self.assertNotIn("not-opted-in", default_rows)
        _, all_rows = self.audit_json("-A")
        self.assertEqual(all_rows["not-opted-in"]["verdict"], "SKIPPED")
        self.assertIn("namespace-not-opted-in", all_rows["not-opted-in"]["reason"])

    def test_exit_zero_when_every_pod_is_ok_or_skipped(self):
        code, out, err = self.audit("-n", "clean")
        self.assertEqual(code, 0, err)
        self.assertIn("1 pod: 1 OK, 0 UNPATCHED, 0 DRIFT, 0 TAMPERED, 0 SKIPPED", out)

    def test_pages_through_lists_longer_than_the_page_limit(self):
        self.api.clear_requests()
        code, rows = self.audit_json("-A", "--chunk-size", "2")
        self.assertEqual(code, 1)
        self.assertEqual(len(rows), 8)
        pod_lists = [r for r in self.api.requests if r["path"] == "/api/v1/pods"]
        self.assertEqual([r["query"].get("limit") for r in pod_lists], ["2"] * 4)
        self.assertEqual(sum(1 for r in pod_lists if "continue" in r["query"]), 3)
        self.assertFalse(any(r["watch"] for r in self.api.requests))

    def test_an_expired_list_starts_over(self):
        self.api.clear_requests()
        self.api.fail_next(1, 410)  # the first page of namespaces: 410 Gone, as after compaction
        code, rows = self.audit_json("-n", "clean")
        self.assertEqual((code, list(rows)), (0, ["good"]))
        ns_lists = [r for r in self.api.requests if r["path"] == "/api/v1/namespaces"]
        self.assertEqual([r["status"] for r in ns_lists], [410, 200])

    def test_a_list_that_keeps_expiring_is_an_error(self):
        self.api.fail_next(3, 410)
        self.assert_error([], "list namespaces: the list expired (410 Gone) 3 times")

    # --- errors: exit 2 with a message that says what to do ---------------------------------

    def assert_error(self, args, *needles, kubeconfig=None):
        code, out, err = self.audit(*args, kubeconfig=kubeconfig)
        self.assertEqual(code, 2, out + err)
        self.assertEqual(out, "")
        for needle in needles:
            self.assertIn(needle, err)

    def test_unreachable_api_server(self):
        port = self.api.port
        self.api.stop()
        self.assert_error([], "cannot reach the API server https://127.0.0.1:" + str(port))

    def test_wrong_token(self):
        self.api.set_token("rotated")
        self.assert_error([], "HTTP 401", "rejected the credentials")

    def test_forbidden_names_the_missing_rbac_verb_and_resource(self):
        self.api.forbid("pods", "list")
        self.assert_error(["-n", "agents"], "HTTP 403", 'needs verb "list" on "pods" in namespace agents',
                          "kubectl auth can-i list pods -n agents")

    def test_forbidden_cluster_wide_list(self):
        self.api.forbid("nodes", "list")
        self.assert_error([], 'needs verb "list" on "nodes" cluster-wide')

    def test_slow_api_server_times_out(self):
        self.api.set_delay(5)
        self.assert_error(["--request-timeout", "1"], "cannot reach the API server")

    def test_bad_kubeconfig(self):
        path = os.path.join(self.tmp, "broken")
        with open(path, "w") as f:
            f.write("apiVersion: v1\nkind: Config\nclusters: 7\n")
        self.assert_error([], path, kubeconfig=path)

    def test_unknown_namespace(self):
        self.assert_error(["-n", "nope"], 'namespace "nope" not found')

    def test_flags(self):
        self.assert_error(["-o", "yaml"], "-o: expected table or json")
        self.assert_error(["-n", "agents", "-A"], "-n and -A exclude each other")
        code, out, _ = self.audit("--help")
        self.assertEqual(code, 0)
        self.assertIn("--all-namespaces", out)


if __name__ == "__main__":
    unittest.main(verbosity=2)
