"""`audit` the way operators run it (issue 18): through an EKS-style kubeconfig whose user is an
exec credential plugin, as `kubectl jailkeeper` (the real kubectl finding the plugin on PATH),
and with a progress line on a terminal only. The real binary against the fake API server."""
import base64
import json
import os
import pty
import select
import shutil
import subprocess
import sys
import tempfile
import unittest
import warnings

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "support"))
from fake_apiserver import FakeApiServer  # noqa: E402
from pki import Pki  # noqa: E402
import test_audit_cli as base  # noqa: E402

ROOT = base.ROOT
BINARY = base.BINARY
PLUGIN = os.path.join(ROOT, "tests", "support", "exec_plugin.py")
KUBECTL = os.environ.get("KUBECTL") or os.path.join(ROOT, "tools", "kubectl")
RUN_TIMEOUT_S = 60


class OperatorAudit(unittest.TestCase):
    def setUp(self):
        warnings.simplefilter("ignore", ResourceWarning)
        self.tmp = tempfile.mkdtemp(prefix="jk-audit-ops-")
        self.addCleanup(shutil.rmtree, self.tmp, True)
        self.pki = Pki(self.tmp)
        cert, key, _ = self.pki.issue("apiserver")
        self.api = FakeApiServer(cert, key, token="tok-1")
        self.api.start()
        self.addCleanup(self.api.stop)
        for ns in (base.namespace("agents", True), base.namespace("plain", False),
                   base.namespace("clean", True)):
            self.api.add("Namespace", ns)
        self.api.add("Node", base.AL2023)
        self.api.add("Node", base.BOTTLEROCKET)
        for pod in base.cluster_pods():
            self.api.add("Pod", pod)
        self.plugin_dir = os.path.join(self.tmp, "plugin")
        os.mkdir(self.plugin_dir)

    def eks_kubeconfig(self, expiry="", command=PLUGIN, mode="token"):
        """What `aws eks update-kubeconfig` writes, with the fake plugin in place of `aws`."""
        with open(self.pki.ca_cert, "rb") as f:
            ca = base64.b64encode(f.read()).decode()
        path = os.path.join(self.tmp, "eks-kubeconfig")
        with open(path, "w") as f:
            f.write(f"""apiVersion: v1
kind: Config
current-context: arn:aws:eks:eu-west-1:111122223333:cluster/demo
clusters:
- name: arn:aws:eks:eu-west-1:111122223333:cluster/demo
  cluster:
    server: https://127.0.0.1:{self.api.port}
    certificate-authority-data: {ca}
contexts:
- name: arn:aws:eks:eu-west-1:111122223333:cluster/demo
  context:
    cluster: arn:aws:eks:eu-west-1:111122223333:cluster/demo
    user: arn:aws:eks:eu-west-1:111122223333:cluster/demo
users:
- name: arn:aws:eks:eu-west-1:111122223333:cluster/demo
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      command: {command}
      args: [--region, eu-west-1, eks, get-token, --cluster-name, demo, --output, json]
      env:
      - {{name: JK_DIR, value: {self.plugin_dir}}}
      - {{name: JK_MODE, value: {mode}}}
      - {{name: JK_EXPIRY, value: "{expiry}"}}
      - {{name: JK_API, value: client.authentication.k8s.io/v1beta1}}
      interactiveMode: IfAvailable
      provideClusterInfo: false
""")
        return path

    def env(self):
        env = {k: v for k, v in os.environ.items() if k not in ("KUBECONFIG", "POD_NAMESPACE")}
        env["HOME"] = self.tmp
        return env

    def run_audit(self, argv, **kwargs):
        proc = subprocess.run(argv, capture_output=True, text=True, timeout=RUN_TIMEOUT_S,
                              env=kwargs.pop("env", self.env()), stdin=subprocess.DEVNULL, **kwargs)
        return proc.returncode, proc.stdout, proc.stderr

    def plugin_runs(self):
        with open(os.path.join(self.plugin_dir, "count")) as f:
            return int(f.read())

    # --- exec credential plugins ---------------------------------------------------------------

    def test_audit_through_an_exec_plugin_kubeconfig(self):
        code, out, err = self.run_audit([BINARY, "audit", "--kubeconfig", self.eks_kubeconfig(),
                                         "-o", "json", "-n", "agents"])
        self.assertEqual(code, 1, err)
        rows = {row["pod"]: row["verdict"] for row in json.loads(out)}
        self.assertEqual(rows, base.EXPECTED)
        # One run serves every list (no expirationTimestamp: valid until a 401).
        self.assertEqual(self.plugin_runs(), 1)
        self.assertEqual({r["token"] for r in self.api.requests}, {"tok-1"})
        with open(os.path.join(self.plugin_dir, "argv")) as f:
            self.assertEqual(json.load(f), ["--region", "eu-west-1", "eks", "get-token",
                                            "--cluster-name", "demo", "--output", "json"])
        with open(os.path.join(self.plugin_dir, "info-1")) as f:
            info = json.load(f)
        self.assertEqual(info["spec"], {"interactive": False})  # stdin is not a terminal

    def test_expired_tokens_are_fetched_again_and_a_revoked_one_after_a_401(self):
        self.api.set_token(["tok-1", "tok-2", "tok-3", "tok-4", "tok-5"])
        code, _, err = self.run_audit([BINARY, "audit", "--kubeconfig",
                                       self.eks_kubeconfig(expiry="2001-01-01T00:00:00Z"),
                                       "-n", "clean"])
        self.assertEqual(code, 0, err)
        lists = [r["token"] for r in self.api.requests]
        self.assertEqual(lists, [f"tok-{i + 1}" for i in range(len(lists))])  # one run each
        self.api.clear_requests()
        os.remove(os.path.join(self.plugin_dir, "count"))
        self.api.set_token("tok-2")  # tok-1 is revoked
        code, _, err = self.run_audit([BINARY, "audit", "--kubeconfig", self.eks_kubeconfig(),
                                       "-n", "clean"])
        self.assertEqual(code, 0, err)
        statuses = [(r["status"], r["token"]) for r in self.api.requests]
        self.assertEqual(statuses[:2], [(401, "tok-1"), (200, "tok-2")])
        self.assertEqual(self.plugin_runs(), 2)

    def test_plugin_errors_name_the_plugin(self):
        cases = [
            (dict(mode="garbage"), ["exec plugin " + PLUGIN, "not an ExecCredential JSON object",
                                    "Unable to locate credentials"]),
            (dict(command="aws-not-installed"),
             ['command "aws-not-installed" not found on PATH']),
        ]
        for kwargs, needles in cases:
            code, out, err = self.run_audit([BINARY, "audit", "--kubeconfig",
                                             self.eks_kubeconfig(**kwargs)])
            self.assertEqual((code, out), (2, ""), err)
            for needle in needles:
                self.assertIn(needle, err)
            self.assertIn("users[name=arn:aws:eks:eu-west-1:111122223333:cluster/demo].user.exec",
                          err)

    # --- kubectl plugin ------------------------------------------------------------------------

    @unittest.skipUnless(os.access(KUBECTL, os.X_OK), "tools/kubectl missing "
                         "(run scripts/install-k8s-tools.sh)")
    def test_kubectl_jailkeeper_audit_with_kubectl_flags(self):
        plugin_bin = os.path.join(self.tmp, "bin")
        os.mkdir(plugin_bin)
        os.symlink(os.path.realpath(BINARY), os.path.join(plugin_bin, "kubectl-jailkeeper"))
        env = self.env()
        env["PATH"] = plugin_bin + os.pathsep + env.get("PATH", "")
        env["KUBECONFIG"] = self.eks_kubeconfig()  # kubectl passes its environment on
        code, out, err = self.run_audit([KUBECTL, "plugin", "list"], env=env)
        self.assertIn(os.path.join(plugin_bin, "kubectl-jailkeeper"), out + err)
        code, out, err = self.run_audit([KUBECTL, "jailkeeper", "audit", "-n", "agents", "-o",
                                         "json", "--request-timeout", "20s"], env=env)
        self.assertEqual(code, 1, err)
        self.assertEqual({row["pod"]: row["verdict"] for row in json.loads(out)}, base.EXPECTED)
        code, out, err = self.run_audit(
            [KUBECTL, "jailkeeper", "audit", "--kubeconfig", env["KUBECONFIG"], "--context",
             "missing"], env=env)
        self.assertEqual(code, 2)
        self.assertIn('kubectl jailkeeper audit: ', err)
        self.assertIn('context "missing" not found', err)
        code, out, _ = self.run_audit([KUBECTL, "jailkeeper", "audit", "--help"], env=env)
        self.assertEqual(code, 0)
        self.assertIn("Usage: kubectl jailkeeper audit", out)
        code, out, err = self.run_audit(
            [KUBECTL, "jailkeeper", "inject", "-f",
             os.path.join(ROOT, "deploy", "examples", "agent-pod.yaml"), "--node-os",
             "bottlerocket", "-n", "agents", "-o", "json"], env=env)
        self.assertEqual(code, 0, err)
        self.assertIn("/jailkeeper/bin/jailkeeper-launch", out)

    # --- progress ------------------------------------------------------------------------------

    def test_progress_on_a_terminal_and_nothing_when_piped(self):
        self.api.set_token(["tok-1", "tok-2"])  # each run of audit runs the plugin once
        argv = [BINARY, "audit", "--kubeconfig", self.eks_kubeconfig(), "-A", "--chunk-size", "2"]
        code, out, err = self.run_audit(argv)
        self.assertEqual(code, 1)
        self.assertEqual(err, "")  # piped: no progress
        self.assertIn("7 pods:", out)
        master, slave = pty.openpty()
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=slave, env=self.env())
        os.close(slave)
        shown = b""
        while True:
            ready, _, _ = select.select([master], [], [], RUN_TIMEOUT_S)
            if not ready:
                break
            try:
                chunk = os.read(master, 4096)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            shown += chunk
        os.close(master)
        out = proc.stdout.read().decode()
        text = shown.decode()
        self.assertEqual(proc.wait(timeout=RUN_TIMEOUT_S), 1, text)
        self.assertIn("7 pods:", out)
        self.assertIn("audit: listing pods: 4 pages, 7 objects", text)
        self.assertIn("audit: listing nodes: 1 page, 2 objects", text)
        self.assertIn("judging 7 pods", text)
        self.assertTrue(text.endswith("\r\x1b[K"), repr(text[-40:]))  # cleared before the report


if __name__ == "__main__":
    unittest.main(verbosity=2)
