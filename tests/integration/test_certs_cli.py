"""`jailkeeper-webhook certs` against the fake API server over TLS: the chart's install flow
(pre-install with --webhook-config-optional writes only the Secret, post-install patches
caBundle), idempotent reruns (no write, resourceVersions unchanged), renewal with CA rotation
(previous CA kept in caBundle), --delete / --keep-secret, a missing configuration, 409 conflicts
retried, 403 messages, and only the verbs the chart's hook RBAC grants."""
import base64
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

BIN = os.environ.get("JK_WEBHOOK_BIN", "build/webhook/jailkeeper-webhook")
TOKEN = "certs-token"
NS, SERVICE, SECRET, CONFIG = "jailkeeper", "jailkeeper", "jailkeeper-tls", "0600-jailkeeper.jailkeeper.io"
SECRET_PATH = f"/api/v1/namespaces/{NS}/secrets"
CONFIG_PATH = "/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations"
# templates/certs-rbac.yaml: secrets create + get/update/patch/delete; configurations
# get/update/patch/delete.
ALLOWED = {("secrets", "POST"), ("secrets", "GET"), ("secrets", "PUT"), ("secrets", "PATCH"),
           ("secrets", "DELETE"), ("mutatingwebhookconfigurations", "GET"),
           ("mutatingwebhookconfigurations", "PUT"), ("mutatingwebhookconfigurations", "PATCH"),
           ("mutatingwebhookconfigurations", "DELETE")}


def webhook_configuration():
    hook = {"clientConfig": {"service": {"name": SERVICE, "namespace": NS, "path": "/mutate"}},
            "admissionReviewVersions": ["v1"], "sideEffects": "None"}
    return {"metadata": {"name": CONFIG},
            "webhooks": [dict(hook, name="pods.jailkeeper.io"), dict(hook, name="b.jailkeeper.io")]}


def b64(text):
    return base64.b64decode(text).decode()


def pem_blocks(text):
    marker = "-----END CERTIFICATE-----"
    return [block.strip() + "\n" + marker + "\n" for block in text.split(marker)[:-1]]


class CertsCli(unittest.TestCase):
    def setUp(self):
        warnings.simplefilter("ignore", ResourceWarning)
        self.tmp = tempfile.mkdtemp(prefix="jk-certs-")
        self.addCleanup(shutil.rmtree, self.tmp, True)
        self.pki = Pki(self.tmp)
        cert, key, _ = self.pki.issue("apiserver")
        self.api = FakeApiServer(cert, key, token=TOKEN).start()
        self.addCleanup(self.api.stop)
        with open(self.pki.ca_cert, "rb") as f:
            ca = base64.b64encode(f.read()).decode()
        self.kubeconfig = os.path.join(self.tmp, "kubeconfig")
        with open(self.kubeconfig, "w") as f:
            f.write(f"""apiVersion: v1
kind: Config
current-context: fake
clusters: [{{name: fake, cluster: {{server: "https://127.0.0.1:{self.api.port}",
            certificate-authority-data: {ca}}}}}]
users: [{{name: fake, user: {{token: {TOKEN}}}}}]
contexts: [{{name: fake, context: {{cluster: fake, user: fake}}}}]
""")

    # --- helpers -------------------------------------------------------------------------------
    def certs(self, *extra, service=True):
        args = [BIN, "certs", "--kubeconfig", self.kubeconfig, "--namespace", NS, "--secret",
                SECRET, "--webhook-config", CONFIG, *(["--service", SERVICE] if service else []),
                *extra]
        proc = subprocess.run(args, capture_output=True, text=True, timeout=60,
                              env={"PATH": os.environ.get("PATH", "")})
        return proc.returncode, proc.stderr

    def ok(self, *extra, **kw):
        code, err = self.certs(*extra, **kw)
        self.assertEqual(code, 0, err)
        return err

    def secret(self):
        return self.api.get("Secret", SECRET, NS)

    def config(self):
        return self.api.get("MutatingWebhookConfiguration", CONFIG)

    def bundles(self):
        return [b64(h["clientConfig"]["caBundle"]) for h in self.config()["webhooks"]]

    def writes(self):
        return [(r["method"], r["path"], r["status"]) for r in self.api.requests if r["method"] != "GET"]

    def openssl(self, *args, stdin=None):
        proc = subprocess.run(["openssl", *args], input=stdin, capture_output=True, text=True)
        return proc.returncode, proc.stdout + proc.stderr

    def verify(self, leaf_pem, ca_pem):
        ca_file = os.path.join(self.tmp, "bundle.pem")
        with open(ca_file, "w") as f:
            f.write(ca_pem)
        return self.openssl("verify", "-purpose", "sslserver", "-CAfile", ca_file, stdin=leaf_pem)[0]

    def install(self, *extra):
        """The chart's flow: pre-install (no configuration yet), Helm creates it, post-install."""
        self.ok("--webhook-config-optional", *extra)
        self.api.add("MutatingWebhookConfiguration", webhook_configuration())
        self.ok(*extra)

    # --- install -------------------------------------------------------------------------------
    def test_pre_install_writes_only_the_secret(self):
        self.ok("--webhook-config-optional")
        data = self.secret()["data"]
        self.assertEqual(self.secret()["type"], "kubernetes.io/tls")
        self.assertEqual(sorted(data), ["ca.crt", "tls.crt", "tls.key"])
        self.assertEqual([(m, p) for m, p, _ in self.writes()], [("POST", SECRET_PATH)])
        self.assertIsNone(self.config())
        self.assertEqual(self.verify(b64(data["tls.crt"]), b64(data["ca.crt"])), 0)
        _, text = self.openssl("x509", "-noout", "-ext", "subjectAltName", stdin=b64(data["tls.crt"]))
        self.assertIn(f"DNS:{SERVICE}.{NS}.svc,", text)
        self.assertIn(f"DNS:{SERVICE}.{NS}.svc.cluster.local", text)

    def test_post_install_puts_the_ca_on_every_webhook(self):
        self.install()
        ca = b64(self.secret()["data"]["ca.crt"])
        self.assertEqual(self.bundles(), [ca, ca])
        self.assertEqual(self.verify(b64(self.secret()["data"]["tls.crt"]), self.bundles()[0]), 0)

    def test_second_run_writes_nothing(self):
        self.install()
        before = (self.secret()["metadata"]["resourceVersion"],
                  self.config()["metadata"]["resourceVersion"])
        self.api.clear_requests()
        self.ok()
        self.ok("--webhook-config-optional")
        self.assertEqual(self.writes(), [])
        self.assertEqual((self.secret()["metadata"]["resourceVersion"],
                          self.config()["metadata"]["resourceVersion"]), before)

    def test_missing_configuration_without_optional_fails_and_writes_nothing(self):
        code, err = self.certs()
        self.assertEqual(code, 1)
        self.assertIn(f'mutatingwebhookconfigurations.admissionregistration.k8s.io "{CONFIG}" not found', err)
        self.assertIn("--webhook-config-optional", err)
        self.assertEqual(self.writes(), [])

    # --- renewal and rotation ------------------------------------------------------------------
    def test_renewal_rotates_the_ca_and_keeps_the_previous_one_in_the_bundle(self):
        self.install("--validity", "10", "--renew-before", "5")
        old = self.secret()["data"]
        self.ok("--validity", "100", "--renew-before", "20")  # 10 days left < 20: renew
        new = self.secret()["data"]
        self.assertNotEqual(new["tls.crt"], old["tls.crt"])
        self.assertNotEqual(new["ca.crt"], old["ca.crt"])
        bundle = self.bundles()[0]
        self.assertEqual(pem_blocks(bundle), [b64(new["ca.crt"]), b64(old["ca.crt"])])
        self.assertEqual(self.bundles()[1], bundle)
        # Both the new certificate and the one a server may still present verify.
        self.assertEqual(self.verify(b64(new["tls.crt"]), bundle), 0)
        self.assertEqual(self.verify(b64(old["tls.crt"]), bundle), 0)
        self.assertNotEqual(self.verify(b64(old["tls.crt"]), b64(new["ca.crt"])), 0)
        self.api.clear_requests()
        self.ok("--validity", "100", "--renew-before", "20")
        self.assertEqual(self.writes(), [])

    def test_the_bundle_is_patched_before_the_secret_is_replaced(self):
        self.install("--validity", "10", "--renew-before", "5")
        self.api.clear_requests()
        self.ok("--validity", "100", "--renew-before", "20")
        self.assertEqual([m for m, _, _ in self.writes()], ["PATCH", "PUT"])

    def test_a_secret_for_another_service_is_replaced(self):
        self.install()
        self.api.clear_requests()
        code, err = self.certs("--service", "other", service=False)
        self.assertEqual(code, 0, err)
        self.assertIn("does not name other.jailkeeper.svc", err)
        _, text = self.openssl("x509", "-noout", "-ext", "subjectAltName",
                               stdin=b64(self.secret()["data"]["tls.crt"]))
        self.assertIn("DNS:other.jailkeeper.svc,", text)

    # --- conflicts and errors ------------------------------------------------------------------
    def test_conflicts_are_re_read_and_retried(self):
        self.install("--validity", "10", "--renew-before", "5")
        self.api.race_next_write("MutatingWebhookConfiguration")
        self.api.race_next_write("Secret")
        self.api.clear_requests()
        self.ok("--validity", "100", "--renew-before", "20")
        statuses = [(m, s) for m, _, s in self.writes()]
        self.assertEqual(statuses, [("PATCH", 409), ("PATCH", 200), ("PUT", 409), ("PATCH", 200),
                                    ("PUT", 200)])
        ca = b64(self.secret()["data"]["ca.crt"])
        self.assertEqual(pem_blocks(self.bundles()[0])[0], ca)
        self.assertEqual(self.verify(b64(self.secret()["data"]["tls.crt"]), self.bundles()[0]), 0)

    def test_forbidden_names_the_verb_and_resource(self):
        self.api.fail_next(1, 403, message='secrets "jailkeeper-tls" is forbidden')
        code, err = self.certs("--webhook-config-optional")
        self.assertEqual(code, 1)
        self.assertIn(f'forbidden: cannot get secrets "{SECRET}" in namespace {NS}', err)
        self.assertIn('needs the "get" verb on secrets', err)

    def test_bad_flags_exit_2(self):
        for extra, message in [((), "--service is required"),
                               (("--validity", "30", "--renew-before", "30"), "must be shorter"),
                               (("--validity", "0"), "--validity"),
                               (("--keep-secret",), "--keep-secret only goes with --delete")]:
            with self.subTest(extra=extra):
                code, err = self.certs(*extra, service=bool(extra))
                self.assertEqual(code, 2)
                self.assertIn(message, err)
        self.assertEqual(self.api.requests, [])

    # --- uninstall -----------------------------------------------------------------------------
    def test_delete_removes_the_configuration_then_the_secret(self):
        self.install()
        self.api.clear_requests()
        self.ok("--delete", service=False)
        self.assertEqual([(m, p) for m, p, _ in self.writes()],
                         [("DELETE", f"{CONFIG_PATH}/{CONFIG}"), ("DELETE", f"{SECRET_PATH}/{SECRET}")])
        self.assertIsNone(self.config())
        self.assertIsNone(self.secret())
        self.ok("--delete", service=False)  # already gone: fine

    def test_delete_with_keep_secret(self):
        self.install()
        self.ok("--delete", "--keep-secret", service=False)
        self.assertIsNone(self.config())
        self.assertIsNotNone(self.secret())

    # --- RBAC ----------------------------------------------------------------------------------
    def test_uses_only_the_verbs_the_chart_grants(self):
        self.install("--validity", "10", "--renew-before", "5")
        self.ok("--validity", "100", "--renew-before", "20")
        self.ok("--delete", service=False)
        resources = ("secrets", "mutatingwebhookconfigurations")
        used = {(next(p for p in r["path"].split("/") if p in resources), r["method"])
                for r in self.api.requests}
        self.assertLessEqual(used, ALLOWED)
        self.assertIn(("secrets", "POST"), used)


if __name__ == "__main__":
    unittest.main(verbosity=2)
