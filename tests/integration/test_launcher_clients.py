"""Real clients through jailkeeper-launch, in every jail this host can build: curl, git, Python's
urllib and Node's https module fetch from a local HTTPS server whose certificate comes from a
test CA (the launcher trusts it for upstreams through its own SSL_CERT_FILE). The proxy
intercepts every TLS connection with its per-run CA, which each client must accept through the
trust variables the launcher sets, and judges every request: /allowed/* is allowed, the rest
gets the 403 that names the rule to add.

landjail forces nothing: clients reach the network only through HTTP(S)_PROXY, so Node's https
module (which ignores those variables) must fail there, and works in the transparent jails."""
import functools
import http.server
import os
import shutil
import ssl
import subprocess
import sys
import tempfile
import threading
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "support"))
from pki import Pki  # noqa: E402
from test_launcher_jails import BINARY, unavailable  # noqa: E402

HELLO = "hello from upstream\n"
RULE = "domain=localhost path=/allowed/*"
TIMEOUT_S = 120

PYTHON_GET = """
import sys, urllib.request, urllib.error
try:
    print(urllib.request.urlopen(sys.argv[1], timeout=60).read().decode(), end="")
except urllib.error.HTTPError as e:
    print(e.code, e.read().decode(), end="")
"""
NODE_GET = """
require('https').get(process.argv[1], (r) => {
  let body = '';
  r.on('data', (d) => body += d);
  r.on('end', () => process.stdout.write(r.statusCode + ' ' + body));
}).on('error', (e) => { process.stdout.write('error ' + e.code); process.exitCode = 3; });
"""


# A resolver retrying over TCP (as glibc does after a truncated answer): one A query to
# 10.96.0.10:53 over TCP; prints the answer's last four bytes (the address) or the error.
PYTHON_DNS_TCP = """
import socket, struct
query = struct.pack(">HHHHHH", 0x4242, 0x0100, 1, 0, 0, 0) + b"\\x07example\\x03com\\x00\\x00\\x01\\x00\\x01"
try:
    s = socket.create_connection(("10.96.0.10", 53), timeout=30)
    s.sendall(struct.pack(">H", len(query)) + query)
    f = s.makefile("rb")
    answer = f.read(struct.unpack(">H", f.read(2))[0])
    print("id", hex(struct.unpack(">H", answer[:2])[0]), ".".join(map(str, answer[-4:])))
except OSError as e:
    print("error", e.errno)
"""


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def make_site(root):
    """allowed/hello, allowed/repo.git (a bare repository served as static files: git's "dumb"
    HTTP protocol) and denied/secret."""
    os.makedirs(os.path.join(root, "allowed"))
    os.makedirs(os.path.join(root, "denied"))
    with open(os.path.join(root, "allowed", "hello"), "w") as f:
        f.write(HELLO)
    with open(os.path.join(root, "denied", "secret"), "w") as f:
        f.write("must not be read\n")
    work = os.path.join(root, "..", "work")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "init.defaultBranch=main"]
    subprocess.run(git + ["init", "-q", work], check=True)
    with open(os.path.join(work, "README"), "w") as f:
        f.write("cloned through the jail\n")
    subprocess.run(git + ["-C", work, "add", "README"], check=True)
    subprocess.run(git + ["-C", work, "commit", "-q", "-m", "first"], check=True)
    bare = os.path.join(root, "allowed", "repo.git")
    subprocess.run(git + ["clone", "-q", "--bare", work, bare], check=True)
    subprocess.run(["git", "-C", bare, "update-server-info"], check=True)


class ClientContract:
    FLAGS = ()

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="jk-clients-")
        site = os.path.join(cls.tmp, "site")
        os.makedirs(site)
        make_site(site)
        pki_dir = os.path.join(cls.tmp, "pki")
        os.makedirs(pki_dir)
        cls.pki = Pki(pki_dir)
        cert, key, _ = cls.pki.issue("upstream")
        handler = functools.partial(Quiet, directory=site)
        cls.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        cls.server.socket = context.wrap_socket(cls.server.socket, server_side=True)
        cls.server.daemon_threads = True
        threading.Thread(target=cls.server.serve_forever, daemon=True).start()
        cls.base = f"https://localhost:{cls.server.server_address[1]}"

    @classmethod
    def tearDownClass(cls):
        cls.server.shutdown()
        cls.server.server_close()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def setUp(self):
        self.home = tempfile.mkdtemp(prefix="home-", dir=self.tmp)
        self.tmpdir = tempfile.mkdtemp(prefix="tmpdir-", dir=self.tmp)

    def jailed(self, *agent):
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": self.home,
               "TMPDIR": self.tmpdir,
               # The launcher's own trust for upstreams: the test CA only.
               "SSL_CERT_FILE": self.pki.ca_cert}
        # The test server is on loopback, an internal upstream the proxy refuses by default.
        return subprocess.run([BINARY, *self.FLAGS, "--allow", RULE, "--allow-internal",
                               "127.0.0.1/32", "--", *agent],
                              capture_output=True, text=True, timeout=TIMEOUT_S, env=env)

    def assertBlocked(self, output):
        self.assertIn("Request Blocked by Boundary", output)
        self.assertIn("--allow", output)

    def test_curl(self):
        r = self.jailed("curl", "-sS", f"{self.base}/allowed/hello")
        self.assertEqual((r.returncode, r.stdout), (0, HELLO), r.stderr)
        r = self.jailed("curl", "-sS", "-w", "%{http_code}", f"{self.base}/denied/secret")
        self.assertTrue(r.stdout.endswith("403"), r.stdout + r.stderr)
        self.assertBlocked(r.stdout)

    def test_python_urllib(self):
        r = self.jailed(sys.executable, "-c", PYTHON_GET, f"{self.base}/allowed/hello")
        self.assertEqual((r.returncode, r.stdout), (0, HELLO), r.stderr)
        r = self.jailed(sys.executable, "-c", PYTHON_GET, f"{self.base}/denied/secret")
        self.assertTrue(r.stdout.startswith("403 "), r.stdout + r.stderr)
        self.assertBlocked(r.stdout)

    def test_git_clone(self):
        dest = os.path.join(self.home, "clone")
        r = self.jailed("git", "clone", "-q", f"{self.base}/allowed/repo.git", dest)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(os.path.join(dest, "README")) as f:
            self.assertEqual(f.read(), "cloned through the jail\n")

    def test_dns_over_tcp(self):
        r = self.jailed(sys.executable, "-c", PYTHON_DNS_TCP)
        if self.TRANSPARENT:  # the connection ends at the proxy, which answers like the stub
            self.assertEqual(r.stdout, "id 0x4242 6.6.6.6\n", r.stderr)
        else:  # landjail: no DNS at all; TCP only to the proxy port
            self.assertTrue(r.stdout.startswith("error "), r.stdout + r.stderr)

    @unittest.skipIf(shutil.which("node") is None, "node is not installed")
    def test_node_https(self):
        r = self.jailed("node", "-e", NODE_GET, f"{self.base}/allowed/hello")
        if self.TRANSPARENT:
            self.assertEqual((r.returncode, r.stdout), (0, "200 " + HELLO), r.stderr)
        else:  # landjail: no proxy support in Node's https module, and no way around the proxy
            self.assertEqual(r.returncode, 3, r.stdout + r.stderr)
            self.assertTrue(r.stdout.startswith("error "), r.stdout)


@unittest.skipIf(unavailable("nsjail"), unavailable("nsjail"))
class Nsjail(ClientContract, unittest.TestCase):
    FLAGS = ("--jail-type", "nsjail")
    TRANSPARENT = True


@unittest.skipIf(unavailable("landjail"), unavailable("landjail"))
class Landjail(ClientContract, unittest.TestCase):
    FLAGS = ("--jail-type", "landjail")
    TRANSPARENT = False


@unittest.skipIf(unavailable("seccompjail"), unavailable("seccompjail"))
class Seccompjail(ClientContract, unittest.TestCase):
    FLAGS = ("--jail-type", "seccompjail")
    TRANSPARENT = True


if __name__ == "__main__":
    unittest.main()
