"""Package managers through jailkeeper-launch in every jail this host can build (issue 13, item
11): each installs from a local registry stand-in served over HTTPS (a test CA the launcher
trusts for upstreams) through the intercepting proxy, so the client must trust the launcher's
per-run CA through the variables the launcher sets, also when the user's own configuration names
another CA file (a corporate npmrc `cafile`, pip.conf `cert`), and when the launcher's own
environment already has SSL_CERT_FILE. A client that is not installed here is skipped."""
import base64
import functools
import hashlib
import http.server
import io
import json
import os
import shutil
import ssl
import subprocess
import sys
import tarfile
import tempfile
import threading
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "support"))
from pki import Pki  # noqa: E402
from test_launcher_jails import BINARY, unavailable  # noqa: E402

TIMEOUT_S = 180
PACKAGE = "jk-test-pkg"


def npm_tarball():
    data = io.BytesIO()
    with tarfile.open(fileobj=data, mode="w:gz") as tar:
        for name, text in (("package/package.json",
                            json.dumps({"name": PACKAGE, "version": "1.0.0", "main": "index.js"})),
                           ("package/index.js", "module.exports = 'installed through the jail';\n")):
            info = tarfile.TarInfo(name)
            info.size = len(text.encode())
            tar.addfile(info, io.BytesIO(text.encode()))
    return data.getvalue()


def wheel():
    """A minimal pure-Python wheel: jk_test_pkg-1.0.0-py3-none-any.whl."""
    import zipfile
    files = {"jk_test_pkg/__init__.py": b"VALUE = 'installed through the jail'\n",
             "jk_test_pkg-1.0.0.dist-info/METADATA":
                 b"Metadata-Version: 2.1\nName: jk-test-pkg\nVersion: 1.0.0\n",
             "jk_test_pkg-1.0.0.dist-info/WHEEL":
                 b"Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n"}
    record = ""
    for name, content in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(content).digest()).rstrip(b"=").decode()
        record += f"{name},sha256={digest},{len(content)}\n"
    record += "jk_test_pkg-1.0.0.dist-info/RECORD,,\n"
    files["jk_test_pkg-1.0.0.dist-info/RECORD"] = record.encode()
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as z:
        for name, content in files.items():
            z.writestr(name, content)
    return data.getvalue()


class Registry(http.server.BaseHTTPRequestHandler):
    """npm: GET /jk-test-pkg (packument), GET /jk-test-pkg/-/jk-test-pkg-1.0.0.tgz.
    pip: GET /simple/jk-test-pkg/ (simple index), GET /files/<wheel>."""
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def _send(self, body, content_type):
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        base, files = self.server.base, self.server.files
        self.server.seen.append(self.path)
        if self.path.rstrip("/") == f"/{PACKAGE}":
            tgz = files["npm"]
            packument = {"name": PACKAGE, "dist-tags": {"latest": "1.0.0"}, "versions": {"1.0.0": {
                "name": PACKAGE, "version": "1.0.0", "main": "index.js", "dist": {
                    "tarball": f"{base}/{PACKAGE}/-/{PACKAGE}-1.0.0.tgz",
                    "shasum": hashlib.sha1(tgz).hexdigest(),
                    "integrity": "sha512-" + base64.b64encode(hashlib.sha512(tgz).digest()).decode()}}}}
            return self._send(json.dumps(packument).encode(), "application/json")
        if self.path == f"/{PACKAGE}/-/{PACKAGE}-1.0.0.tgz":
            return self._send(files["npm"], "application/octet-stream")
        if self.path.rstrip("/") == f"/simple/{PACKAGE}":
            name = "jk_test_pkg-1.0.0-py3-none-any.whl"
            digest = hashlib.sha256(files["wheel"]).hexdigest()
            page = f'<html><body><a href="{base}/files/{name}#sha256={digest}">{name}</a></body></html>'
            return self._send(page.encode(), "text/html")
        if self.path.startswith("/files/"):
            return self._send(files["wheel"], "application/octet-stream")
        self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()


class PackageManagerContract:
    @classmethod
    def setUpClass(cls):
        reason = unavailable(cls.JAIL)
        if reason:
            raise unittest.SkipTest(reason)
        cls.tmp = tempfile.mkdtemp(prefix="jk-pkg-")
        for d in ("pki", "other"):
            os.makedirs(os.path.join(cls.tmp, d))
        cls.pki = Pki(os.path.join(cls.tmp, "pki"))
        cert, key, _ = cls.pki.issue("registry", sans=("DNS:localhost", "IP:127.0.0.1"))
        cls.other_ca = Pki(os.path.join(cls.tmp, "other")).ca_cert  # a "corporate" CA
        cls.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Registry)
        cls.server.daemon_threads = True
        cls.server.seen = []
        cls.server.files = {"npm": npm_tarball(), "wheel": wheel()}
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        cls.server.socket = context.wrap_socket(cls.server.socket, server_side=True)
        cls.server.base = f"https://localhost:{cls.server.server_address[1]}"
        threading.Thread(target=cls.server.serve_forever, daemon=True).start()

    @classmethod
    def tearDownClass(cls):
        cls.server.shutdown()
        cls.server.server_close()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def setUp(self):
        self.home = tempfile.mkdtemp(prefix="home-", dir=self.tmp)
        self.work = tempfile.mkdtemp(prefix="work-", dir=self.tmp)
        tmpdir = tempfile.mkdtemp(prefix="tmpdir-", dir=self.tmp)
        os.chmod(self.tmp, 0o755)
        self.env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": self.home,
                    "TMPDIR": tmpdir,
                    # The launcher's own trust for upstreams (the registry's CA); the agent must
                    # get the launcher's bundle instead, once.
                    "SSL_CERT_FILE": self.pki.ca_cert}

    def jailed(self, *agent):
        argv = [BINARY, "--jail-type", self.JAIL, "--allow", "domain=localhost",
                "--allow-internal", "127.0.0.1/32", "--", *agent]
        return subprocess.run(argv, capture_output=True, text=True, timeout=TIMEOUT_S,
                              env=self.env, cwd=self.work)

    def test_npm_install_with_a_corporate_npmrc_cafile(self):
        npm = shutil.which("npm")
        if npm is None:
            self.skipTest("npm is not installed")
        with open(os.path.join(self.home, ".npmrc"), "w") as f:
            f.write(f"cafile={self.other_ca}\n")  # replaces Node's roots for npm
        with open(os.path.join(self.work, "package.json"), "w") as f:
            json.dump({"name": "agent-project", "version": "0.0.0", "private": True}, f)
        r = self.jailed(npm, "install", "--no-audit", "--no-fund", "--no-update-notifier",
                        "--registry", self.server.base + "/", PACKAGE)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        installed = os.path.join(self.work, "node_modules", PACKAGE, "index.js")
        self.assertTrue(os.path.exists(installed), r.stdout + r.stderr)

    def test_pip_download_with_a_pip_conf_cert(self):
        pip = [sys.executable, "-m", "pip"]
        if subprocess.run(pip + ["--version"], capture_output=True).returncode != 0:
            self.skipTest("pip is not installed")
        os.makedirs(os.path.join(self.home, ".config", "pip"))
        with open(os.path.join(self.home, ".config", "pip", "pip.conf"), "w") as f:
            f.write(f"[global]\ncert = {self.other_ca}\n")
        r = self.jailed(*pip, "download", "--no-deps", "--disable-pip-version-check",
                        "--index-url", self.server.base + "/simple/", "-d", self.work, PACKAGE)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("jk_test_pkg-1.0.0-py3-none-any.whl", os.listdir(self.work))


class Nsjail(PackageManagerContract, unittest.TestCase):
    JAIL = "nsjail"


class Landjail(PackageManagerContract, unittest.TestCase):
    JAIL = "landjail"


class Seccompjail(PackageManagerContract, unittest.TestCase):
    JAIL = "seccompjail"


if __name__ == "__main__":
    unittest.main()
