"""The real `jailkeeper-webhook inject` (and the CLI's help/version/errors) on the example
manifests: same code path as the server, order preserved, idempotent, clear exit codes."""
import json
import os
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "support"))
from webhook_process import BINARY  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
EXAMPLES = os.path.join(ROOT, "deploy", "examples")
NODES = os.path.join(EXAMPLES, "nodes.json")


def run(*args, stdin=None):
    return subprocess.run([BINARY, *args], input=stdin, capture_output=True, text=True, timeout=60)


class InjectCli(unittest.TestCase):
    def test_pod_is_patched_for_its_node_and_reinjecting_changes_nothing(self):
        first = run("inject", "-f", os.path.join(EXAMPLES, "agent-pod.yaml"), "--nodes", NODES)
        self.assertEqual(first.returncode, 0, first.stderr)
        self.assertIn("Pod/claude-agent (namespace agents): patched nsjail on bottlerocket", first.stderr)
        # The example drops ALL and runs as root: SETFCAP back to map uid 0 into the jail's
        # user namespace; Bottlerocket's RuntimeDefault lifted by option A (Unconfined).
        self.assertIn("- SETFCAP", first.stdout)
        self.assertNotIn("NET_ADMIN", first.stdout)
        self.assertIn("type: Unconfined", first.stdout)
        self.assertIn("/jailkeeper/bin/jailkeeper-launch", first.stdout)
        second = run("inject", "-f", "-", "--nodes", NODES, stdin=first.stdout)
        self.assertEqual(second.returncode, 0, second.stderr)
        self.assertEqual(second.stdout, first.stdout)
        self.assertIn("unchanged", second.stderr)

    def test_multi_document_order_and_json_output(self):
        r = run("inject", "-f", os.path.join(EXAMPLES, "agent-deployment.yaml"), "--node-os",
                "amazon-linux", "-o", "json")
        self.assertEqual(r.returncode, 0, r.stderr)
        out = json.loads(r.stdout)
        self.assertEqual(out["kind"], "List")
        kinds = [item["kind"] for item in out["items"]]
        self.assertEqual(kinds, ["Deployment", "Service"])
        containers = out["items"][0]["spec"]["template"]["spec"]["containers"]
        agent = next(c for c in containers if c["name"] == "agent")
        self.assertEqual(agent["securityContext"]["capabilities"]["add"],
                         ["CHOWN", "DAC_OVERRIDE", "SETFCAP"])
        status = json.loads(out["items"][0]["spec"]["template"]["metadata"]["annotations"]["jailkeeper.io/status"])
        self.assertEqual(status["nodeOS"], "amazon-linux")
        self.assertEqual(status["jail"], "nsjail")

    def test_fargate_gets_landjail_without_capabilities(self):
        r = run("inject", "-f", os.path.join(EXAMPLES, "agent-pod.yaml"), "--node-os", "fargate",
                "--nodes", NODES, "-o", "json")
        self.assertEqual(r.returncode, 0, r.stderr)
        pod = json.loads(r.stdout)
        spec = json.loads(pod["metadata"]["annotations"]["jailkeeper.io/launch-spec"])
        # The inventory's Fargate kernel (5.10) lacks Landlock ABI 4: seccompjail at once.
        self.assertEqual(spec["jail"], "seccompjail")
        self.assertNotIn("fallback", spec)
        agent = next(c for c in pod["spec"]["containers"] if c["name"] == "agent")
        self.assertEqual(agent["securityContext"]["capabilities"]["add"], ["CHOWN"])  # untouched
        self.assertIn("6.7", r.stderr)  # the old-kernel warning names the requirement

    def test_denied_object_is_printed_unchanged_with_exit_1(self):
        pod = {"apiVersion": "v1", "kind": "Pod",
               "metadata": {"name": "p", "annotations": {"jailkeeper.io/policy": "missing"}},
               "spec": {"containers": [{"name": "a", "image": "x", "command": ["a"]}]}}
        r = run("inject", "-f", "-", "--node-os", "amazon-linux", "-o", "json", stdin=json.dumps(pod))
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertEqual(json.loads(r.stdout), pod)
        self.assertIn("unknown policy \"missing\"", r.stderr)

    def test_input_errors_exit_2_with_nothing_on_stdout(self):
        for args, stdin, want in [
            (("inject", "-f", "-"), "a: [unclosed", "line"),
            (("inject",), "", "-f FILE"),
            (("inject", "-f", "/nonexistent.yaml"), None, "/nonexistent.yaml"),
            (("inject", "-f", "-", "--node-os", "windows"), "", "--node-os"),
            (("inject", "-f", "-", "-o", "xml"), "", "-o"),
            (("inject", "-f", "-", "--config", "/nonexistent/config.yaml"), "", "/nonexistent/config.yaml"),
        ]:
            with self.subTest(args=args):
                r = run(*args, stdin=stdin)
                self.assertEqual(r.returncode, 2, r.stderr)
                self.assertEqual(r.stdout, "")
                self.assertIn(want, r.stderr)

    def test_type_confused_manifests_are_reported_not_fatal(self):
        # `{"kind":5}` aborted with an uncaught nlohmann::type_error (exit 134).
        for stdin, want in [
            ('{"kind":5}', "kind is not a string but number"),
            ('{"kind":"List","items":[5,{"kind":["Pod"]}]}', "kind is not a string but array"),
            ('{"kind":"Deployment","metadata":{"name":5},"spec":{"template":"x"}}',
             "Deployment has no spec/template object"),
            ("kind: Pod\nmetadata: [1]\nspec: {containers: 5}\n", "Pod/<unnamed>"),
        ]:
            with self.subTest(stdin=stdin):
                r = run("inject", "-f", "-", stdin=stdin)
                self.assertIn(r.returncode, (0, 1), r.stderr)
                self.assertIn(want, r.stderr)

    def test_help_and_version(self):
        for cmd in ("serve", "inject"):
            r = run(cmd, "--help")
            self.assertEqual(r.returncode, 0)
            self.assertIn("Usage: jailkeeper-webhook " + cmd, r.stdout)
        r = run("version")
        self.assertEqual(r.returncode, 0)
        self.assertRegex(r.stdout, r"^jailkeeper-webhook \d+\.\d+\.\d+")
        r = run("frobnicate")
        self.assertEqual(r.returncode, 2)
        self.assertIn("unknown command", r.stderr)
        r = run("serve", "--bogus")
        self.assertEqual(r.returncode, 2)
        self.assertIn("unknown flag --bogus", r.stderr)

    def test_bad_config_names_the_field(self):
        import tempfile
        with tempfile.NamedTemporaryFile("w", suffix=".yaml") as f:
            f.write("profiles:\n  amazonLinux:\n    capabilities: [NET_ADMN]\n")
            f.flush()
            r = run("inject", "-f", "-", "--config", f.name, stdin="")
        self.assertEqual(r.returncode, 2)
        self.assertIn("profiles.amazonLinux.capabilities[0]", r.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
