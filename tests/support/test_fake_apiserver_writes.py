"""Self-tests of fake_apiserver.py's writes: Secrets (namespaced, v1) and
MutatingWebhookConfigurations (cluster-scoped, admissionregistration.k8s.io/v1), with
resourceVersion conflicts, JSON patch and merge patch, and injected races."""
import http.client
import json
import shutil
import ssl
import unittest

from fake_apiserver import FakeApiServer, apply_json_patch, apply_merge_patch
from pki import Pki

TOKEN = "t0ken"
SECRETS = "/api/v1/namespaces/jk/secrets"
MWCS = "/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations"
JSON_PATCH = "application/json-patch+json"
MERGE_PATCH = "application/merge-patch+json"


def secret(name="tls", data=None):
    return {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": name},
            "type": "kubernetes.io/tls", "data": data or {"tls.crt": "Y2VydA=="}}


def mwc(name="0600-jk"):
    return {"apiVersion": "admissionregistration.k8s.io/v1", "kind": "MutatingWebhookConfiguration",
            "metadata": {"name": name},
            "webhooks": [{"name": "a.jailkeeper.io", "clientConfig": {"service": {"name": "jk"}}},
                         {"name": "b.jailkeeper.io", "clientConfig": {"service": {"name": "jk"}}}]}


class WritesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.pki = Pki()
        cls.addClassCleanup(shutil.rmtree, cls.pki.dir, True)
        cls.cert, cls.key, _ = cls.pki.issue("apiserver")

    def setUp(self):
        self.srv = FakeApiServer(self.cert, self.key, token=TOKEN).start()
        self.addCleanup(self.srv.stop)

    def call(self, method, path, body=None, content_type="application/json"):
        ctx = ssl.create_default_context(cafile=self.pki.ca_cert)
        conn = http.client.HTTPSConnection("localhost", self.srv.port, context=ctx, timeout=5)
        headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": content_type}
        conn.request(method, path, body=None if body is None else json.dumps(body), headers=headers)
        resp = conn.getresponse()
        answer = json.loads(resp.read())
        conn.close()
        return resp.status, answer

    def test_secret_create_get_update_delete(self):
        status, created = self.call("POST", SECRETS, secret())
        self.assertEqual((status, created["metadata"]["namespace"]), (201, "jk"))
        self.assertEqual(self.call("POST", SECRETS, secret())[0], 409)  # AlreadyExists
        status, got = self.call("GET", f"{SECRETS}/tls")
        self.assertEqual((status, got["data"]), (200, {"tls.crt": "Y2VydA=="}))
        got["data"] = {"tls.crt": "bmV3"}
        status, updated = self.call("PUT", f"{SECRETS}/tls", got)
        self.assertEqual(status, 200)
        self.assertGreater(int(updated["metadata"]["resourceVersion"]),
                           int(got["metadata"]["resourceVersion"]))
        self.assertEqual(self.call("DELETE", f"{SECRETS}/tls")[0], 200)
        self.assertEqual(self.call("DELETE", f"{SECRETS}/tls")[0], 404)
        self.assertEqual(self.call("GET", f"{SECRETS}/tls")[0], 404)

    def test_update_with_a_stale_resource_version_is_a_409_conflict(self):
        _, created = self.call("POST", SECRETS, secret())
        stale = dict(created, data={"tls.crt": "YQ=="})
        self.assertEqual(self.call("PUT", f"{SECRETS}/tls", stale)[0], 200)
        status, answer = self.call("PUT", f"{SECRETS}/tls", stale)
        self.assertEqual((status, answer["reason"]), (409, "Conflict"))

    def test_update_of_a_missing_object_is_404(self):
        self.assertEqual(self.call("PUT", f"{SECRETS}/nope", secret("nope"))[0], 404)

    def test_webhook_configuration_is_cluster_scoped_in_its_group(self):
        status, created = self.call("POST", MWCS, mwc())
        self.assertEqual((status, created["apiVersion"]), (201, "admissionregistration.k8s.io/v1"))
        self.assertNotIn("namespace", created["metadata"])
        self.assertEqual(self.call("GET", f"/api/v1/mutatingwebhookconfigurations/0600-jk")[0], 404)
        self.assertEqual(self.call("GET", f"{MWCS}/0600-jk")[0], 200)

    def test_json_patch_with_resource_version_is_conditional(self):
        _, created = self.call("POST", MWCS, mwc())
        rv = created["metadata"]["resourceVersion"]
        patch = [{"op": "replace", "path": "/metadata/resourceVersion", "value": rv},
                 {"op": "add", "path": "/webhooks/1/clientConfig/caBundle", "value": "Q0E="}]
        status, patched = self.call("PATCH", f"{MWCS}/0600-jk", patch, JSON_PATCH)
        self.assertEqual(status, 200)
        self.assertEqual(patched["webhooks"][1]["clientConfig"]["caBundle"], "Q0E=")
        self.assertNotIn("caBundle", patched["webhooks"][0]["clientConfig"])
        self.assertEqual(self.call("PATCH", f"{MWCS}/0600-jk", patch, JSON_PATCH)[0], 409)

    def test_merge_patch_and_unsupported_patch_types(self):
        self.call("POST", SECRETS, secret())
        status, patched = self.call("PATCH", f"{SECRETS}/tls", {"data": {"x": "eA=="}}, MERGE_PATCH)
        self.assertEqual((status, sorted(patched["data"])), (200, ["tls.crt", "x"]))
        self.assertEqual(self.call("PATCH", f"{SECRETS}/tls", {}, "application/yaml")[0], 415)

    def test_race_makes_the_next_conditional_write_conflict_once(self):
        _, created = self.call("POST", SECRETS, secret())
        self.srv.race_next_write("Secret")
        self.assertEqual(self.call("PUT", f"{SECRETS}/tls", created)[0], 409)
        _, fresh = self.call("GET", f"{SECRETS}/tls")
        self.assertEqual(self.call("PUT", f"{SECRETS}/tls", fresh)[0], 200)

    def test_writes_to_read_only_kinds_are_refused(self):
        self.assertEqual(self.call("POST", "/api/v1/nodes", {"metadata": {"name": "n"}})[0], 405)

    def test_patch_helpers(self):
        doc = {"a": [1, 2], "b": {"c": 1}}
        self.assertEqual(apply_json_patch(doc, [{"op": "add", "path": "/a/-", "value": 3},
                                                {"op": "remove", "path": "/b/c"}]),
                         {"a": [1, 2, 3], "b": {}})
        with self.assertRaises(ValueError):
            apply_json_patch(doc, [{"op": "test", "path": "/b/c", "value": 2}])
        self.assertEqual(apply_merge_patch(doc, {"b": None, "d": 1}), {"a": [1, 2], "d": 1})


if __name__ == "__main__":
    unittest.main(verbosity=2)
