"""`kubectl jailkeeper`: the krew manifest in deploy/krew and the archive it points at.

The manifest template is rendered for an archive built here by scripts/kubectl-plugin-archive.sh
(the release bot's {{ .TagName }} and addURIAndSha replaced as it would), checked against the
rules krew's manifest validation applies, then installed the way krew installs (unpack into a
store, link bin/kubectl-<name> to `bin`) and run by the real kubectl.
"""
import hashlib
import json
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
import unittest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BINARY = os.environ.get("JK_WEBHOOK_BIN", os.path.join(ROOT, "build", "webhook", "jailkeeper-webhook"))
MANIFEST = os.path.join(ROOT, "deploy", "krew", "jailkeeper.yaml")
KUBECTL = os.environ.get("KUBECTL") or os.path.join(ROOT, "tools", "kubectl")
TAG = "v0.1.0"
SEMVER = re.compile(r"^v\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$")


@unittest.skipUnless(os.access(KUBECTL, os.X_OK), "tools/kubectl missing "
                     "(run scripts/install-k8s-tools.sh)")
class KubectlPlugin(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="jk-krew-")
        self.addCleanup(shutil.rmtree, self.tmp, True)
        build = os.path.dirname(os.path.dirname(BINARY))
        proc = subprocess.run([os.path.join(ROOT, "scripts", "kubectl-plugin-archive.sh"), build,
                               self.tmp], capture_output=True, text=True, timeout=120)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.archive = os.path.join(self.tmp, "kubectl-jailkeeper_linux_amd64.tar.gz")
        self.sha = proc.stdout.strip()
        self.manifest = self.render()

    def render(self):
        """The template as krew-release-bot renders it, then parsed by kubectl (YAML -> JSON)."""
        with open(MANIFEST) as f:
            text = f.read()
        text = re.sub(r'\{\{addURIAndSha "([^"]+)" \.TagName \}\}',
                      lambda m: "uri: " + m.group(1) + "\n      sha256: " + self.sha, text)
        text = text.replace("{{ .TagName }}", TAG)
        self.assertNotIn("{{", text)
        # kubectl reads any kind offline with `label --local` (as tests/chart does).
        proc = subprocess.run([KUBECTL, "label", "--local", "-f", "-", "-o", "json",
                               "jk-unused-label-"], input=text, capture_output=True, text=True,
                              timeout=60, env=dict(os.environ, KUBECONFIG=os.devnull))
        self.assertEqual(proc.returncode, 0, proc.stderr)
        return json.loads(proc.stdout)

    def test_manifest_follows_krews_rules(self):
        m = self.manifest
        self.assertEqual(m["apiVersion"], "krew.googlecontainertools.github.com/v1alpha2")
        self.assertEqual(m["kind"], "Plugin")
        self.assertEqual(m["metadata"]["name"], "jailkeeper")
        self.assertEqual(os.path.basename(MANIFEST), m["metadata"]["name"] + ".yaml")
        spec = m["spec"]
        self.assertRegex(spec["version"], SEMVER)
        self.assertTrue(spec["shortDescription"])
        self.assertLessEqual(len(spec["shortDescription"]), 50)
        self.assertTrue(spec["homepage"].startswith("https://"))
        self.assertGreaterEqual(len(spec["platforms"]), 1)
        for platform in spec["platforms"]:
            self.assertEqual(set(platform["selector"]["matchLabels"]), {"os", "arch"})
            self.assertTrue(platform["uri"].startswith("https://"))
            self.assertIn(TAG, platform["uri"])
            self.assertRegex(platform["sha256"], r"^[0-9a-f]{64}$")
            self.assertFalse(os.path.isabs(platform["bin"]))
        with open(self.archive, "rb") as f:
            self.assertEqual(hashlib.sha256(f.read()).hexdigest(), self.sha)

    def install_like_krew(self):
        """Unpacks the archive, applies `files`, links bin/kubectl-jailkeeper -> `bin`."""
        platform = self.manifest["spec"]["platforms"][0]
        unpacked = os.path.join(self.tmp, "unpacked")
        with tarfile.open(self.archive) as tar:
            tar.extractall(unpacked, filter="data")
        store = os.path.join(self.tmp, "store", "jailkeeper", self.sha)
        os.makedirs(store)
        for entry in platform["files"]:
            src = os.path.join(unpacked, entry["from"])
            self.assertTrue(os.path.exists(src), entry["from"] + " is not in the archive")
            shutil.copy2(src, os.path.join(store, entry["to"], os.path.basename(src)))
        target = os.path.join(store, platform["bin"])
        self.assertTrue(os.access(target, os.X_OK), platform["bin"])
        bindir = os.path.join(self.tmp, "bin")
        os.makedirs(bindir)
        os.symlink(target, os.path.join(bindir, "kubectl-" + self.manifest["metadata"]["name"]))
        return bindir

    def test_installed_plugin_runs_under_kubectl(self):
        bindir = self.install_like_krew()
        env = dict(os.environ, PATH=bindir + os.pathsep + os.environ.get("PATH", ""),
                   KUBECONFIG=os.devnull)
        proc = subprocess.run([KUBECTL, "jailkeeper", "version"], capture_output=True, text=True,
                              timeout=60, env=env)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("jailkeeper-webhook 0.1.0", proc.stdout)
        proc = subprocess.run([KUBECTL, "jailkeeper", "--help"], capture_output=True, text=True,
                              timeout=60, env=env)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("kubectl jailkeeper audit", proc.stdout)
        self.assertNotIn("jailkeeper-webhook audit", proc.stdout)


if __name__ == "__main__":
    unittest.main(verbosity=2)
