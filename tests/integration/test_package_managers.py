"""Package managers through jailkeeper-launch in every jail this host can build (issue 13, item
11): each installs from a local registry stand-in served over HTTPS (a test CA the launcher
trusts for upstreams) through the intercepting proxy, so the client must trust the launcher's
per-run CA through the variables the launcher sets, also when the user's own configuration names
another CA file (npm/pnpm/yarn npmrc `cafile`, pip.conf `cert`, cargo `http.cainfo`, bundler
`BUNDLE_SSL_CA_CERT` in ~/.bundle/config), and when the launcher's own environment already has
SSL_CERT_FILE. Go has no CA setting of its own (SSL_CERT_FILE/SSL_CERT_DIR). A client that is
not installed here is skipped (uv: no Debian or npm package)."""
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
import zipfile

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


def go_module_zip():
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as z:
        z.writestr("example.test/jkmod@v1.0.0/go.mod", GO_MOD)
        z.writestr("example.test/jkmod@v1.0.0/jkmod.go", "package jkmod\n\nconst Value = 1\n")
    return data.getvalue()


GO_MOD = "module example.test/jkmod\n\ngo 1.19\n"


def crate():
    data = io.BytesIO()
    with tarfile.open(fileobj=data, mode="w:gz") as tar:
        for name, text in (("jk_test_pkg-1.0.0/Cargo.toml",
                            '[package]\nname = "jk_test_pkg"\nversion = "1.0.0"\nedition = "2021"\n'),
                           ("jk_test_pkg-1.0.0/src/lib.rs", "pub const VALUE: u32 = 1;\n")):
            info = tarfile.TarInfo(name)
            info.size = len(text.encode())
            tar.addfile(info, io.BytesIO(text.encode()))
    return data.getvalue()


def gem_index(root):
    """A gem built with `gem build` and indexed with `gem generate_index` under root/gem."""
    src = os.path.join(root, "gem-src")
    os.makedirs(os.path.join(src, "lib"))
    with open(os.path.join(src, "lib", "jk_test_pkg.rb"), "w") as f:
        f.write("module JkTestPkg; end\n")
    with open(os.path.join(src, "jk_test_pkg.gemspec"), "w") as f:
        f.write('Gem::Specification.new do |s|\n  s.name = "jk_test_pkg"\n  s.version = "1.0.0"\n'
                '  s.summary = "test"\n  s.authors = ["t"]\n  s.files = ["lib/jk_test_pkg.rb"]\n'
                '  s.license = "MIT"\nend\n')
    subprocess.run(["gem", "build", "jk_test_pkg.gemspec"], cwd=src, check=True,
                   capture_output=True)
    index = os.path.join(root, "gem")
    os.makedirs(os.path.join(index, "gems"))
    shutil.copy(os.path.join(src, "jk_test_pkg-1.0.0.gem"), os.path.join(index, "gems"))
    subprocess.run(["gem", "generate_index", "--directory", index], check=True,
                   capture_output=True)
    return index


def wheel():
    """A minimal pure-Python wheel: jk_test_pkg-1.0.0-py3-none-any.whl."""
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
        go = "/go/example.test/jkmod/@v/"
        go_files = {go + "list": b"v1.0.0\n",
                    go + "v1.0.0.info": b'{"Version":"v1.0.0","Time":"2024-01-01T00:00:00Z"}',
                    go + "v1.0.0.mod": GO_MOD.encode(), go + "v1.0.0.zip": files["go"]}
        if self.path in go_files:
            return self._send(go_files[self.path], "application/octet-stream")
        if self.path == "/cargo/index/config.json":
            return self._send(json.dumps({"dl": f"{base}/cargo/dl"}).encode(), "application/json")
        if self.path == "/cargo/index/jk/_t/jk_test_pkg":
            entry = {"name": "jk_test_pkg", "vers": "1.0.0", "deps": [], "features": {},
                     "yanked": False, "cksum": hashlib.sha256(files["crate"]).hexdigest()}
            return self._send(json.dumps(entry).encode() + b"\n", "text/plain")
        if self.path == "/cargo/dl/jk_test_pkg/1.0.0/download":
            return self._send(files["crate"], "application/octet-stream")
        gem_index_dir = self.server.gem_index
        if self.path.startswith("/gem/") and gem_index_dir and ".." not in self.path:
            path = os.path.join(gem_index_dir, self.path[len("/gem/"):].split("?")[0])
            if os.path.isfile(path):
                with open(path, "rb") as f:
                    return self._send(f.read(), "application/octet-stream")
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
        cert, key, _ = cls.pki.issue("registry", sans=("DNS:localhost", "DNS:registry.test",
                                                       "IP:127.0.0.1"))
        cls.other_ca = Pki(os.path.join(cls.tmp, "other")).ca_cert  # a "corporate" CA
        cls.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Registry)
        cls.server.daemon_threads = True
        cls.server.seen = []
        cls.server.files = {"npm": npm_tarball(), "wheel": wheel(), "go": go_module_zip(),
                            "crate": crate()}
        cls.server.gem_index = gem_index(cls.tmp) if shutil.which("gem") else None
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

    def jailed(self, *agent, wrap=()):
        argv = [*wrap, BINARY, "--jail-type", self.JAIL, "--allow", "domain=localhost",
                "--allow", "domain=registry.test", "--allow-internal", "127.0.0.1/32", "--",
                *agent]
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

    def npm_project(self):
        with open(os.path.join(self.home, ".npmrc"), "w") as f:
            f.write(f"cafile={self.other_ca}\n")  # replaces Node's roots for npm, pnpm, yarn 1
        with open(os.path.join(self.work, "package.json"), "w") as f:
            json.dump({"name": "agent-project", "version": "0.0.0", "private": True}, f)

    def test_pnpm_add_with_a_corporate_npmrc_cafile(self):
        pnpm = shutil.which("pnpm")
        if pnpm is None:
            self.skipTest("pnpm is not installed (npm install -g pnpm)")
        self.npm_project()
        r = self.jailed(pnpm, "add", "--registry", self.server.base + "/", PACKAGE)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertTrue(os.path.exists(os.path.join(self.work, "node_modules", PACKAGE, "index.js")))

    def test_yarn_add_with_a_corporate_npmrc_cafile(self):
        yarn = shutil.which("yarn")
        if yarn is None:
            self.skipTest("yarn is not installed (npm install -g yarn)")
        self.npm_project()
        with open(os.path.join(self.home, ".yarnrc"), "w") as f:
            f.write(f'cafile "{self.other_ca}"\n')
        r = self.jailed(yarn, "add", "--non-interactive", "--no-progress", "--registry",
                        self.server.base + "/", PACKAGE)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertTrue(os.path.exists(os.path.join(self.work, "node_modules", PACKAGE, "index.js")))

    def test_go_mod_download(self):
        # Go never sends loopback destinations through HTTPS_PROXY (landjail), so the registry
        # gets a name: registry.test in an /etc/hosts of the launcher's own mount namespace.
        go = shutil.which("go")
        if go is None:
            self.skipTest("go is not installed (golang-go)")
        if os.geteuid() != 0 or shutil.which("unshare") is None:
            self.skipTest("needs root and unshare for a private /etc/hosts")
        hosts = os.path.join(self.home, "hosts")
        with open(hosts, "w") as f:
            f.write("127.0.0.1 localhost registry.test\n")
        wrap = ["unshare", "--mount", "--propagation", "private", "sh", "-c",
                f'mount --bind {hosts} /etc/hosts && exec "$@"', "sh"]
        port = self.server.server_address[1]
        self.env.update({"GOPROXY": f"https://registry.test:{port}/go", "GOSUMDB": "off",
                         "GOPATH": os.path.join(self.home, "go"), "GOFLAGS": "-modcacherw",
                         "GOCACHE": os.path.join(self.home, "gocache")})
        r = self.jailed(go, "mod", "download", "-json", "example.test/jkmod@v1.0.0", wrap=wrap)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertEqual(json.loads(r.stdout)["Version"], "v1.0.0", r.stdout)

    def test_cargo_fetch_with_a_config_cainfo(self):
        cargo = shutil.which("cargo") or os.path.expanduser("~/.cargo/bin/cargo")
        if not os.path.exists(cargo):
            self.skipTest("cargo is not installed")
        cargo_home = os.path.join(self.home, ".cargo")
        os.makedirs(cargo_home)
        with open(os.path.join(cargo_home, "config.toml"), "w") as f:
            f.write(f'[registries.local]\nindex = "sparse+{self.server.base}/cargo/index/"\n'
                    f'[http]\ncainfo = "{self.other_ca}"\n')
        with open(os.path.join(self.work, "Cargo.toml"), "w") as f:
            f.write('[package]\nname = "agent"\nversion = "0.1.0"\nedition = "2021"\n'
                    '[dependencies]\njk_test_pkg = { version = "1.0.0", registry = "local" }\n')
        os.makedirs(os.path.join(self.work, "src"))
        open(os.path.join(self.work, "src", "lib.rs"), "w").close()
        self.env.update({"CARGO_HOME": cargo_home,
                         "RUSTUP_HOME": os.environ.get("RUSTUP_HOME",
                                                       os.path.expanduser("~/.rustup"))})
        r = self.jailed(cargo, "fetch")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn('name = "jk_test_pkg"', open(os.path.join(self.work, "Cargo.lock")).read())

    def test_bundle_install_with_a_bundle_config_ca_cert(self):
        bundle = shutil.which("bundle")
        if bundle is None or self.server.gem_index is None:
            self.skipTest("bundler is not installed (ruby-bundler)")
        os.makedirs(os.path.join(self.home, ".bundle"))
        with open(os.path.join(self.home, ".bundle", "config"), "w") as f:
            f.write(f'---\nBUNDLE_SSL_CA_CERT: "{self.other_ca}"\n')
        with open(os.path.join(self.work, "Gemfile"), "w") as f:
            f.write(f'source "{self.server.base}/gem"\ngem "jk_test_pkg"\n')
        self.env["BUNDLE_PATH"] = os.path.join(self.home, "bundle")
        r = self.jailed(bundle, "install")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("jk_test_pkg (1.0.0)", open(os.path.join(self.work, "Gemfile.lock")).read())

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
