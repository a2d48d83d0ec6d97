"""Applies every golden patch with real kubectl (`kubectl patch --local --type=json`), which
uses the API server's JSON Patch implementation, and compares with the expected pod. This
catches patches that nlohmann's RFC 6902 code accepts but Kubernetes would not.
"""
import glob
import json
import os
import shutil
import subprocess
import tempfile
import unittest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
KUBECTL = os.environ.get("KUBECTL") or (os.path.join(ROOT, "tools", "kubectl")
                                        if os.path.exists(os.path.join(ROOT, "tools", "kubectl"))
                                        else shutil.which("kubectl"))


@unittest.skipUnless(KUBECTL, "kubectl not found (scripts/install-k8s-tools.sh installs it)")
class GoldenPatchesApplyWithKubectl(unittest.TestCase):
    def test_every_patched_case(self):
        cases = sorted(glob.glob(os.path.join(ROOT, "tests", "fixtures", "golden", "*", "expected-pod.json")))
        self.assertGreater(len(cases), 10)
        for expected_pod in cases:
            case = os.path.dirname(expected_pod)
            with self.subTest(case=os.path.basename(case)):
                with open(os.path.join(case, "expected.json")) as f:
                    patch = json.load(f)["patch"]
                with tempfile.NamedTemporaryFile("w", suffix=".json") as p:
                    json.dump(patch, p)
                    p.flush()
                    out = subprocess.run([KUBECTL, "patch", "--local", "-f", os.path.join(case, "pod.json"),
                                          "--type=json", "--patch-file", p.name, "-o", "json"],
                                         capture_output=True, text=True, timeout=60)
                self.assertEqual(out.returncode, 0, out.stderr)
                with open(expected_pod) as f:
                    self.assertEqual(json.loads(out.stdout), json.load(f))


if __name__ == "__main__":
    unittest.main(verbosity=2)
