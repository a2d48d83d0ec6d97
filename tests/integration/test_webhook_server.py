"""Integration tests: the real jailkeeper-webhook binary over real TLS on loopback.

Certificates are generated at test time; the server listens on port 0.
"""
import base64
import http.client
import json
import os
import shutil
import socket
import ssl
import sys
import tempfile
import threading
import time
import unittest
import warnings

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "support"))
from pki import Pki  # noqa: E402
from webhook_process import WebhookProcess  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
NODES = os.path.join(ROOT, "tests", "fixtures", "golden", "nodes.json")
CONFIG = """
server:
  handshakeTimeout: 2s
  readTimeout: 1s
  writeTimeout: 2s
  idleTimeout: 5s
  shutdownGrace: 10s
  certReloadInterval: 100ms
"""


def agent_pod(selector=None):
    pod = {"apiVersion": "v1", "kind": "Pod",
           "metadata": {"name": "agent-1", "namespace": "agents"},
           "spec": {"containers": [{"name": "agent", "image": "agent:1", "command": ["agent"]}]}}
    if selector:
        pod["spec"]["nodeSelector"] = selector
    return pod


def review(pod, api="admission.k8s.io/v1", uid="uid-1"):
    return json.dumps({"apiVersion": api, "kind": "AdmissionReview",
                       "request": {"uid": uid, "kind": {"group": "", "version": "v1", "kind": "Pod"},
                                   "operation": "CREATE", "namespace": "agents", "name": "agent-1",
                                   "object": pod}}).encode()


class ServerTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # Sockets a test leaves to the garbage collector are not what is under test here.
        warnings.simplefilter("ignore", ResourceWarning)
        cls.tmp = tempfile.mkdtemp(prefix="jk-it-")
        os.makedirs(os.path.join(cls.tmp, "pki"))
        cls.pki = Pki(os.path.join(cls.tmp, "pki"))
        cls.config = os.path.join(cls.tmp, "config.yaml")
        with open(cls.config, "w") as f:
            f.write(CONFIG)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def start(self, cert=None, key=None, extra=()):
        if cert is None:
            cert, key, _ = self.pki.issue("server")
        self.server = WebhookProcess(["serve", "--config", self.config, "--listen", "127.0.0.1:0",
                                      "--metrics-listen", "127.0.0.1:0", "--tls-cert", cert,
                                      "--tls-key", key, "--nodes", NODES, *extra])
        self.addCleanup(self.server.kill)
        return self.server

    def client_context(self, **kw):
        ctx = ssl.create_default_context(cafile=self.pki.ca_cert)
        for k, v in kw.items():
            setattr(ctx, k, v)
        return ctx

    def conn(self, ctx=None):
        return http.client.HTTPSConnection("127.0.0.1", self.server.port,
                                           context=ctx or self.client_context(), timeout=10)

    def post(self, conn, body, path="/mutate"):
        conn.request("POST", path, body=body, headers={"Content-Type": "application/json"})
        resp = conn.getresponse()
        return resp.status, resp.read()

    # --- answers ---------------------------------------------------------------------------

    def test_patches_a_pod_and_keeps_the_connection_alive(self):
        self.start()
        c = self.conn()
        for i in range(3):
            status, body = self.post(c, review(agent_pod({"eks.amazonaws.com/nodegroup": "general"}),
                                               uid=f"u{i}"))
            self.assertEqual(status, 200, body)
            resp = json.loads(body)["response"]
            self.assertEqual(resp["uid"], f"u{i}")
            self.assertTrue(resp["allowed"])
            self.assertEqual(resp["patchType"], "JSONPatch")
            patch = json.loads(base64.b64decode(resp["patch"]))
            # Amazon Linux with user namespaces: the jail needs no grant, only the launcher.
            self.assertIn({"op": "add", "path": "/spec/containers/0/command/0",
                           "value": "/jailkeeper/bin/jailkeeper-launch"}, patch)
            self.assertFalse(any(op["path"].endswith("/securityContext") for op in patch))
        c.close()

    def test_v1beta1_is_answered_in_kind(self):
        self.start()
        status, body = self.post(self.conn(), review(agent_pod(), api="admission.k8s.io/v1beta1"))
        self.assertEqual(status, 200)
        self.assertEqual(json.loads(body)["apiVersion"], "admission.k8s.io/v1beta1")

    def test_garbage_is_400_and_the_server_keeps_serving(self):
        self.start()
        c = self.conn()
        status, body = self.post(c, b"\x00\xff not json")
        self.assertEqual(status, 400)
        self.assertIn(b"not valid JSON", body)
        # Raw garbage instead of HTTP over TLS, then plain TCP garbage instead of TLS.
        raw = self.client_context().wrap_socket(socket.create_connection(("127.0.0.1", self.server.port)),
                                                server_hostname="localhost")
        raw.sendall(b"\x16\x03 NOT HTTP AT ALL\r\n\r\n")
        self.assertIn(raw.recv(1024)[:12], (b"HTTP/1.1 400", b""))
        raw.close()
        plain = socket.create_connection(("127.0.0.1", self.server.port))
        plain.sendall(b"GET / HTTP/1.1\r\n\r\n")
        plain.settimeout(5)
        try:
            plain.recv(1024)
        except (ConnectionResetError, socket.timeout):
            pass
        plain.close()
        status, _ = self.post(self.conn(), review(agent_pod()))
        self.assertEqual(status, 200)

    def test_oversized_body_is_413_with_a_message(self):
        self.start()
        s = self.client_context().wrap_socket(socket.create_connection(("127.0.0.1", self.server.port)),
                                              server_hostname="localhost")
        s.sendall(b"POST /mutate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  b"Content-Length: 9437184\r\n\r\n")
        s.settimeout(10)
        data = s.recv(4096)
        self.assertTrue(data.startswith(b"HTTP/1.1 413"), data)
        self.assertIn(b"8388608", data)
        s.close()

    def test_slow_client_is_cut_off_without_blocking_others(self):
        self.start()
        slow = self.client_context().wrap_socket(socket.create_connection(("127.0.0.1", self.server.port)),
                                                 server_hostname="localhost")
        slow.sendall(b"POST /mutate HTTP/1.1\r\nHost: x\r\n")  # never finishes the headers
        status, _ = self.post(self.conn(), review(agent_pod()))
        self.assertEqual(status, 200)
        slow.settimeout(10)
        started = time.monotonic()
        try:
            data = slow.recv(1024)
        except (ConnectionResetError, ssl.SSLError):
            data = b""
        self.assertLess(time.monotonic() - started, 9, "read timeout did not close the connection")
        self.assertFalse(data.startswith(b"HTTP/1.1 200"))
        slow.close()

    def test_health_ready_and_metrics(self):
        self.start()
        c = self.conn()
        for path in ("/healthz", "/readyz"):
            c.request("GET", path)
            r = c.getresponse()
            r.read()
            self.assertEqual(r.status, 200, path)
        self.post(c, review(agent_pod()))
        m = http.client.HTTPConnection("127.0.0.1", self.server.metrics_port, timeout=10)
        m.request("GET", "/metrics")
        r = m.getresponse()
        text = r.read().decode()
        self.assertEqual(r.status, 200)
        self.assertIn("jailkeeper_reviews_total{", text)
        self.assertIn("jailkeeper_review_duration_seconds_bucket{le=\"0.0001\"}", text)
        self.assertIn("jailkeeper_certificate_expiry_timestamp_seconds", text)

    # --- TLS ---------------------------------------------------------------------------------

    def test_only_tls12_and_tls13(self):
        self.start()
        for version in (ssl.TLSVersion.TLSv1_2, ssl.TLSVersion.TLSv1_3):
            ctx = self.client_context(minimum_version=version, maximum_version=version)
            status, _ = self.post(self.conn(ctx), review(agent_pod()))
            self.assertEqual(status, 200, version)
        old = self.client_context()
        old.minimum_version = ssl.TLSVersion.MINIMUM_SUPPORTED
        old.maximum_version = ssl.TLSVersion.TLSv1_1
        try:
            old.set_ciphers("ALL:@SECLEVEL=0")
        except ssl.SSLError:
            pass
        with self.assertRaises((ssl.SSLError, ConnectionResetError, OSError)):
            self.post(self.conn(old), review(agent_pod()))

    def test_client_certificates_when_client_ca_is_set(self):
        client_pki = Pki()
        self.start(extra=("--client-ca", client_pki.ca_cert))
        with self.assertRaises((ssl.SSLError, ConnectionResetError, BrokenPipeError, http.client.RemoteDisconnected)):
            self.post(self.conn(), review(agent_pod()))
        cert, key, _ = client_pki.issue("apiserver", sans=("DNS:apiserver",), client=True)
        ctx = self.client_context()
        ctx.load_cert_chain(cert, key)
        status, _ = self.post(self.conn(ctx), review(agent_pod()))
        self.assertEqual(status, 200)

    def test_certificate_rotation_by_symlink_swap_keeps_open_connections(self):
        # Kubernetes Secret volume layout: tls.crt -> ..data/tls.crt, ..data -> ..v1
        vol = os.path.join(self.tmp, "secret-volume")
        os.makedirs(vol)
        self.addCleanup(shutil.rmtree, vol, True)

        def publish(version, name):
            cert, key, serial = self.pki.issue(name)
            d = os.path.join(vol, f"..{version}")
            os.makedirs(d)
            shutil.copy(cert, os.path.join(d, "tls.crt"))
            shutil.copy(key, os.path.join(d, "tls.key"))
            tmp_link = os.path.join(vol, "..data_tmp")
            os.symlink(f"..{version}", tmp_link)
            os.replace(tmp_link, os.path.join(vol, "..data"))  # atomic swap
            return serial

        first = publish("v1", "server-v1")
        for f in ("tls.crt", "tls.key"):
            os.symlink(os.path.join("..data", f), os.path.join(vol, f))
        self.start(os.path.join(vol, "tls.crt"), os.path.join(vol, "tls.key"))

        old = self.conn()
        self.assertEqual(self.post(old, review(agent_pod()))[0], 200)
        self.assertEqual(self.serial_of(old), first)
        second = publish("v2", "server-v2")
        deadline = time.monotonic() + 15
        while True:
            c = self.conn()
            self.assertEqual(self.post(c, review(agent_pod()))[0], 200)
            if self.serial_of(c) == second:
                break
            self.assertLess(time.monotonic(), deadline, "new certificate never served")
            time.sleep(0.05)
        # The connection opened before the rotation still works, with its original certificate.
        self.assertEqual(self.post(old, review(agent_pod()))[0], 200)
        self.assertEqual(self.serial_of(old), first)

    @staticmethod
    def serial_of(conn):
        der = conn.sock.getpeercert(binary_form=True)
        import subprocess
        out = subprocess.run(["openssl", "x509", "-inform", "DER", "-noout", "-serial"], input=der,
                             capture_output=True, check=True).stdout.decode()
        return out.strip().split("=", 1)[1].lstrip("0")

    # --- shutdown ----------------------------------------------------------------------------

    def test_sigterm_finishes_in_flight_requests_and_exits_zero(self):
        server = self.start()
        body = review(agent_pod())
        s = self.client_context().wrap_socket(socket.create_connection(("127.0.0.1", server.port)),
                                              server_hostname="localhost")
        s.sendall(b"POST /mutate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  + f"Content-Length: {len(body)}\r\n\r\n".encode() + body[:100])
        time.sleep(0.2)  # let the server start reading this request
        server.proc.send_signal(15)
        server.wait_for_log(lambda l: "shutting down" in l)
        s.sendall(body[100:])
        s.settimeout(10)
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
        self.assertTrue(data.startswith(b"HTTP/1.1 200"), data[:200])
        s.close()
        self.assertEqual(server.proc.wait(timeout=15), 0)
        with self.assertRaises(OSError):
            socket.create_connection(("127.0.0.1", server.port), timeout=2)

    def test_broken_setup_fails_with_a_clear_message(self):
        import subprocess
        from webhook_process import BINARY
        r = subprocess.run([BINARY, "serve", "--listen", "127.0.0.1:0", "--metrics-listen", "127.0.0.1:0",
                            "--tls-cert", "/nonexistent/tls.crt", "--tls-key", "/nonexistent/tls.key",
                            "--nodes", NODES],
                           capture_output=True, text=True, timeout=20)
        self.assertEqual(r.returncode, 1)
        self.assertIn("/nonexistent/tls.crt", r.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
