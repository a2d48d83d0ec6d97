"""`serve --kubeconfig`: the real binary watches Nodes from a (fake) API server over TLS with a
bearer token; /readyz waits for the first list, and predictions follow node changes."""
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

    def test_wrong_token_is_not_ready_and_says_why(self):
        self.api.set_token("rotated")
        server = self.start_webhook()
        server.wait_for_log(lambda line: "401" in line)
        self.assertEqual(self.get(server, "/readyz"), 503)


if __name__ == "__main__":
    unittest.main(verbosity=2)
