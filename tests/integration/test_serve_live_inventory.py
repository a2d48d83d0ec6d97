"""`serve --kubeconfig`: the real binary watches Nodes and Namespaces from a (fake) API server
over TLS with a bearer token; /readyz waits for the first lists, predictions follow node changes,
and namespace labels (opt-in, Pod Security) follow namespace changes."""
import base64
import json
import os
import shutil
import sys
import tempfile
import time
import unittest
import warnings

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "support"))
from fake_apiserver import FakeApiServer  # noqa: E402
from pki import Pki  # noqa: E402
from webhook_process import WebhookProcess  # noqa: E402
import test_webhook_server as base  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
NODES = os.path.join(ROOT, "tests", "fixtures", "nodes")


def load(name):
    with open(os.path.join(NODES, name)) as f:
        return json.load(f)


class ServeLiveInventory(unittest.TestCase):
    def setUp(self):
        warnings.simplefilter("ignore", ResourceWarning)
        self.tmp = tempfile.mkdtemp(prefix="jk-live-")
        self.addCleanup(shutil.rmtree, self.tmp, True)
        self.pki = Pki(self.tmp)
        api_cert, api_key, _ = self.pki.issue("apiserver")
        self.api = FakeApiServer(api_cert, api_key, token="s3cret")
        self.api.start()
        self.addCleanup(self.api.stop)
        with open(self.pki.ca_cert, "rb") as f:
            ca = base64.b64encode(f.read()).decode()
        self.kubeconfig = os.path.join(self.tmp, "kubeconfig")
        with open(self.kubeconfig, "w") as f:
            f.write(f"""apiVersion: v1
kind: Config
current-context: fake
clusters:
- name: fake
  cluster:
    server: https://127.0.0.1:{self.api.port}
    certificate-authority-data: {ca}
users:
- name: fake
  user:
    token: s3cret
contexts:
- name: fake
  context: {{cluster: fake, user: fake}}
""")

    def start_webhook(self):
        cert, key, _ = self.pki.issue("webhook")
        server = WebhookProcess(["serve", "--listen", "127.0.0.1:0", "--metrics-listen", "127.0.0.1:0",
                                 "--tls-cert", cert, "--tls-key", key, "--kubeconfig", self.kubeconfig],
                                )
        self.addCleanup(server.kill)
        return server

    def get(self, server, path):
        import http.client
        import ssl
        ctx = ssl.create_default_context(cafile=self.pki.ca_cert)
        c = http.client.HTTPSConnection("127.0.0.1", server.port, context=ctx, timeout=10)
        c.request("GET", path)
        r = c.getresponse()
        r.read()
        return r.status

    def predict(self, server, selector):
        import http.client
        import ssl
        ctx = ssl.create_default_context(cafile=self.pki.ca_cert)
        c = http.client.HTTPSConnection("127.0.0.1", server.port, context=ctx, timeout=10)
        c.request("POST", "/mutate", body=base.review(base.agent_pod(selector)),
                  headers={"Content-Type": "application/json"})
        resp = json.loads(c.getresponse().read())["response"]
        return resp["auditAnnotations"]["node-os"]

    def review_in(self, server, namespace):
        import http.client
        import ssl
        ctx = ssl.create_default_context(cafile=self.pki.ca_cert)
        c = http.client.HTTPSConnection("127.0.0.1", server.port, context=ctx, timeout=10)
        pod = base.agent_pod({"karpenter.sh/nodepool": "default"})
        pod["metadata"]["namespace"] = namespace
        body = json.dumps({"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
                           "request": {"uid": "u1", "kind": {"group": "", "version": "v1", "kind": "Pod"},
                                       "operation": "CREATE", "namespace": namespace,
                                       "name": "agent-1", "object": pod}}).encode()
        c.request("POST", "/mutate", body=body, headers={"Content-Type": "application/json"})
        return json.loads(c.getresponse().read())["response"]

    def metrics(self, server):
        import http.client
        c = http.client.HTTPConnection("127.0.0.1", server.metrics_port, timeout=10)
        c.request("GET", "/metrics")
        return c.getresponse().read().decode()

    def verdict(self, server, namespace):
        r = self.review_in(server, namespace)
        if not r["allowed"]:
            return "denied"
        return r["auditAnnotations"].get("skip-reason") or r["auditAnnotations"]["outcome"]

    def wait_until(self, fn, want, timeout=15):
        deadline = time.monotonic() + timeout
        while True:
            got = fn()
            if got == want:
                return
            self.assertLess(time.monotonic(), deadline, f"still {got!r}, wanted {want!r}")
            time.sleep(0.05)

    def test_ready_after_first_list_and_predictions_follow_the_watch(self):
        self.api.set_delay(1.0)  # the first list is slow: readiness must wait for it
        server = self.start_webhook()
        self.assertEqual(self.get(server, "/readyz"), 503)
        self.api.set_delay(0)
        self.api.add("Node", load("bottlerocket.json"))
        self.wait_until(lambda: self.get(server, "/readyz"), 200)
        selector = {"karpenter.sh/nodepool": "default"}
        self.wait_until(lambda: self.predict(server, selector), "bottlerocket")
        # The node goes away: the watch removes it and the same pod becomes "unknown".
        node = load("bottlerocket.json")
        self.api.delete("Node", node["metadata"]["name"])
        self.wait_until(lambda: self.predict(server, selector), "unknown")

    def test_namespace_labels_decide_opt_in_and_pod_security(self):
        psa = "pod-security.kubernetes.io/enforce"
        self.api.add("Node", load("bottlerocket.json"))
        self.api.add("Namespace", {"metadata": {"name": "agents", "labels": {"jailkeeper.io/inject": "enabled"}}})
        self.api.add("Namespace", {"metadata": {"name": "legacy", "labels": {}}})
        strict = {"metadata": {"name": "strict",
                               "labels": {"jailkeeper.io/inject": "enabled", psa: "baseline"}}}
        self.api.add("Namespace", strict)
        server = self.start_webhook()
        self.wait_until(lambda: self.get(server, "/readyz"), 200)
        self.assertEqual(self.verdict(server, "agents"), "patched")
        self.assertEqual(self.verdict(server, "legacy"), "namespace-not-opted-in")
        denied = self.review_in(server, "strict")
        self.assertFalse(denied["allowed"])
        self.assertIn(f"{psa}=baseline", denied["status"]["message"])
        # Relabelled as the deny message suggests: the watch brings the change, the pod passes.
        strict["metadata"]["labels"][psa] = "privileged"
        self.api.modify("Namespace", strict)
        self.wait_until(lambda: self.verdict(server, "strict"), "patched")
        # A namespace the inventory has not seen: patched, with a warning saying so.
        r = self.review_in(server, "brand-new")
        self.assertTrue(r["allowed"])
        self.assertTrue(any("not in the inventory" in w for w in r.get("warnings", [])), r)
        text = self.metrics(server)
        self.assertIn('jailkeeper_inventory_objects{resource="namespaces"} 3', text)
        self.assertIn('jailkeeper_inventory_objects{resource="nodes"} 1', text)
        self.assertIn('jailkeeper_skips_total{reason="namespace-not-opted-in"} 1', text)
        self.assertIn('jailkeeper_kube_last_sync_timestamp_seconds{resource="namespaces"}', text)

    def test_wrong_token_is_not_ready_and_says_why(self):
        self.api.set_token("rotated")
        server = self.start_webhook()
        server.wait_for_log(lambda line: "401" in line)
        self.assertEqual(self.get(server, "/readyz"), 503)


class ServeOfflineInventory(ServeLiveInventory):
    """`serve --nodes FILE`: namespaces come from the same file when it lists any."""

    def start_offline(self, document):
        path = os.path.join(self.tmp, "inventory.json")
        with open(path, "w") as f:
            json.dump(document, f)
        cert, key, _ = self.pki.issue("webhook")
        server = WebhookProcess(["serve", "--listen", "127.0.0.1:0", "--metrics-listen", "127.0.0.1:0",
                                 "--tls-cert", cert, "--tls-key", key, "--nodes", path])
        self.addCleanup(server.kill)
        return server

    def test_namespaces_in_the_nodes_file_are_checked(self):
        server = self.start_offline({"nodes": [load("bottlerocket.json")], "namespaces": [
            {"metadata": {"name": "agents", "labels": {"jailkeeper.io/inject": "enabled"}}},
            {"metadata": {"name": "legacy"}}]})
        self.assertEqual(self.get(server, "/readyz"), 200)
        self.assertEqual(self.verdict(server, "agents"), "patched")
        self.assertEqual(self.verdict(server, "legacy"), "namespace-not-opted-in")
        self.assertTrue(any("not in the inventory" in w
                            for w in self.review_in(server, "other").get("warnings", [])))

    def test_a_file_without_namespaces_turns_namespace_checks_off(self):
        server = self.start_offline({"kind": "NodeList", "items": [load("bottlerocket.json")]})
        server.wait_for_log(lambda line: "no namespaces in --nodes file" in line)
        r = self.review_in(server, "legacy")
        self.assertEqual(r["auditAnnotations"]["outcome"], "patched")
        self.assertEqual(r.get("warnings", []), [])

    # The live tests are not repeated here.
    test_ready_after_first_list_and_predictions_follow_the_watch = None
    test_namespace_labels_decide_opt_in_and_pod_security = None
    test_wrong_token_is_not_ready_and_says_why = None


if __name__ == "__main__":
    unittest.main(verbosity=2)
