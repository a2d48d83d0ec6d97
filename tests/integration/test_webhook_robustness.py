"""Robustness of the real `serve` binary (issue 14), scaled to seconds; the full-size figures
come from bench/robustness.py (bench/README.md, "Robustness").

- SIGTERM under keep-alive load, and a rolling restart of two replicas behind one address:
  0 failed reviews; /readyz turns 503 while draining.
- A connection flood on the webhook port: probes, metrics and reviews keep answering.
- Memory: held request bodies stay within the request memory budget; idle keep-alive
  connections are cheap and their memory comes back.
- TLS key exchange: X25519, P-256 and P-384 only (the CPU per handshake is printed).
- A 413/431 reaches a client that is still sending; Expect: 100-continue; obs-fold refused.
"""
import os
import resource
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import warnings

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "support"))
from pki import Pki  # noqa: E402
from review_load import (Balancer, ReviewClient, Tally, get, read_status,  # noqa: E402
                         review_body)
from webhook_process import WebhookProcess  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
NODES = os.path.join(ROOT, "tests", "fixtures", "golden", "nodes.json")
MIB = 1024 * 1024
# AddressSanitizer's allocator (quarantine, redzones, its own arenas) makes RSS say nothing
# about the server's memory use: the memory bounds are checked on the release build.
SANITIZED = os.environ.get("JK_SANITIZE") == "ON"
CONFIG = """
server:
  handshakeTimeout: 2s
  readTimeout: 5s
  writeTimeout: 5s
  idleTimeout: 30s
  shutdownGrace: 10s
  certReloadInterval: 1s
  shutdownDelay: 3s
  lingerTimeout: 2s
"""
# shutdownDelay: long enough that every busy client (a Python thread on a loaded machine) has
# sent its next request within it; each such request is answered with Connection: close, so no
# keep-alive connection is left idle to be closed when the delay ends.


def rss_kib(pid, field="VmRSS"):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise AssertionError(f"no {field} for {pid}")


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class RobustnessTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        warnings.simplefilter("ignore", ResourceWarning)
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, 8192)), hard))
        cls.tmp = tempfile.mkdtemp(prefix="jk-robust-")
        os.makedirs(os.path.join(cls.tmp, "pki"))
        cls.pki = Pki(os.path.join(cls.tmp, "pki"))
        cls.cert, cls.key, _ = cls.pki.issue("server")
        cls.context = ssl.create_default_context(cafile=cls.pki.ca_cert)
        cls.body = review_body()

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def start(self, extra_config=""):
        path = os.path.join(self.tmp, f"config-{time.monotonic_ns()}.yaml")
        with open(path, "w") as f:
            f.write(CONFIG + extra_config)
        server = WebhookProcess(["serve", "--config", path, "--listen", "127.0.0.1:0",
                                 "--metrics-listen", "127.0.0.1:0", "--tls-cert", self.cert,
                                 "--tls-key", self.key, "--nodes", NODES])
        self.addCleanup(server.kill)
        return server

    def tls(self, port, timeout=10):
        return self.context.wrap_socket(socket.create_connection(("127.0.0.1", port), timeout=timeout),
                                        server_hostname="localhost")

    def review_on_new_connection(self, port):
        s = self.tls(port)
        s.sendall(b"POST /mutate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  + f"Content-Length: {len(self.body)}\r\n\r\n".encode() + self.body)
        status = s.recv(12)
        s.close()
        return status

    def clients(self, port_of, tally, stop, n=16):
        workers = [ReviewClient(port_of, self.context, self.body, tally, stop, pause=0.001)
                   for _ in range(n)]
        for w in workers:
            w.start()
        return workers

    def wait_ok(self, tally, count, timeout=30):
        deadline = time.monotonic() + timeout
        while tally.snapshot()["ok"] < count:
            self.assertLess(time.monotonic(), deadline, f"no load: {tally.snapshot()}")
            time.sleep(0.01)

    @staticmethod
    def stop_all(stop, workers):
        stop.set()
        for w in workers:
            w.join(timeout=20)

    # --- rollouts ------------------------------------------------------------------------------

    def test_sigterm_under_keepalive_load_loses_no_review(self):
        server = self.start()
        tally, stop = Tally(), threading.Event()
        workers = self.clients(lambda: server.port, tally, stop)
        self.wait_ok(tally, 200)
        server.proc.send_signal(15)
        self.assertEqual(server.proc.wait(timeout=20), 0)
        self.stop_all(stop, workers)
        s = tally.snapshot()
        self.assertEqual(s["failed"], 0, f"{s} {tally.errors}")
        self.assertGreater(s["closes"], 0, "answers during the drain carry Connection: close")

    def test_readyz_is_503_while_draining_and_both_ports_say_so(self):
        server = self.start()
        self.assertEqual(get(server.port, "/readyz", self.context), 200)
        self.assertEqual(get(server.metrics_port, "/readyz"), 200)
        server.proc.send_signal(15)
        server.wait_for_log(lambda line: "shutting down" in line)
        self.assertEqual(get(server.port, "/readyz", self.context), 503)
        self.assertEqual(get(server.metrics_port, "/readyz"), 503)
        self.assertEqual(get(server.port, "/healthz", self.context), 200)
        self.assertEqual(server.proc.wait(timeout=20), 0)

    def test_rolling_restart_of_two_replicas_behind_one_address_loses_no_review(self):
        lb = Balancer(self.context)
        self.addCleanup(lb.close)
        replicas = {}
        names = iter(range(100))

        def start_replica():
            name = f"r{next(names)}"
            replicas[name] = self.start()
            lb.add(name, replicas[name].port)
            deadline = time.monotonic() + 20
            while not lb.ready(name):
                self.assertLess(time.monotonic(), deadline, "replica never ready")
                time.sleep(0.02)
            return name

        current = [start_replica(), start_replica()]
        tally, stop = Tally(), threading.Event()
        workers = self.clients(lambda: lb.port, tally, stop)
        self.wait_ok(tally, 200)
        for _ in range(2):  # two rollouts: 4 replicas replaced, one at a time (maxSurge 1)
            for i, old in enumerate(list(current)):
                new = start_replica()
                replicas[old].proc.send_signal(15)
                self.assertEqual(replicas[old].proc.wait(timeout=20), 0)
                lb.remove(old)
                current[i] = new
        self.wait_ok(tally, tally.snapshot()["ok"] + 100)
        self.stop_all(stop, workers)
        s = tally.snapshot()
        self.assertEqual(s["failed"], 0, f"{s} {tally.errors}")
        self.assertEqual(lb.no_backend, 0)

    # --- floods ------------------------------------------------------------------------------

    def test_probes_metrics_and_reviews_answer_while_the_webhook_port_is_flooded(self):
        server = self.start("  maxConnections: 100\n")
        held = []
        for _ in range(150):  # idle keep-alive connections: each did one request
            s = self.tls(server.port)
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            if s.recv(4096).startswith(b"HTTP/1.1 200"):
                held.append(s)
        silent = [socket.create_connection(("127.0.0.1", server.port)) for _ in range(150)]
        self.addCleanup(lambda: [s.close() for s in held + silent])
        for _ in range(10):
            self.assertEqual(get(server.port, "/healthz", self.context), 200)
            self.assertEqual(get(server.port, "/readyz", self.context), 200)
            self.assertEqual(get(server.metrics_port, "/metrics"), 200)
            self.assertEqual(get(server.metrics_port, "/readyz"), 200)
            self.assertEqual(self.review_on_new_connection(server.port), b"HTTP/1.1 200")

    # --- memory ------------------------------------------------------------------------------

    @unittest.skipIf(SANITIZED, "RSS under AddressSanitizer is not the server's")
    def test_held_bodies_stay_within_the_request_memory_budget(self):
        server = self.start("  maxRequestMemoryBytes: 8388608\n  maxBodyBytes: 4194304\n")
        pid = server.proc.pid
        self.assertEqual(self.review_on_new_connection(server.port), b"HTTP/1.1 200")
        base = rss_kib(pid, "VmHWM")
        answers = []

        def hold(size=4 * MIB):
            s = self.tls(server.port, timeout=15)
            try:
                s.sendall(b"POST /mutate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                          + f"Content-Length: {size}\r\n\r\n".encode() + b" " * (size - 1))
                s.settimeout(0.5)
                answers.append(s.recv(12))
            except (OSError, ssl.SSLError):
                answers.append(b"")
            finally:
                s.close()

        threads = [threading.Thread(target=hold) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        growth_mib = (rss_kib(pid, "VmHWM") - base) / 1024
        print(f"\nheld bodies: 8 x 4 MiB, budget 8 MiB: peak RSS +{growth_mib:.1f} MiB, "
              f"answers {sorted(answers)}", file=sys.stderr)
        self.assertIn(b"HTTP/1.1 503", answers, "bodies beyond the budget are refused")
        self.assertLess(growth_mib, 20, "8 x 4 MiB bodies would be 32 MiB")

    @unittest.skipIf(SANITIZED, "RSS under AddressSanitizer is not the server's")
    def test_idle_keepalive_connections_are_cheap_and_their_memory_comes_back(self):
        server = self.start()
        pid = server.proc.pid
        self.assertEqual(self.review_on_new_connection(server.port), b"HTTP/1.1 200")
        before = rss_kib(pid)
        conns = []
        for _ in range(400):
            s = self.tls(server.port)
            s.sendall(b"POST /mutate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                      + f"Content-Length: {len(self.body)}\r\n\r\n".encode() + self.body)
            data = b""
            while b"\r\n\r\n" not in data:
                data += s.recv(65536)
            conns.append(s)
        during = rss_kib(pid)
        for s in conns:
            s.close()
        per_connection = (during - before) / len(conns)
        deadline = time.monotonic() + 15  # trimmed every 5 s
        while rss_kib(pid) > before + 4096 and time.monotonic() < deadline:
            time.sleep(0.2)
        after = rss_kib(pid)
        print(f"\n400 idle keep-alive connections: {per_connection:.1f} KiB each; RSS "
              f"{before / 1024:.1f} -> {during / 1024:.1f} -> {after / 1024:.1f} MiB after they closed",
              file=sys.stderr)
        self.assertLess(per_connection, 40, "asio's ssl::stream alone held ~68 KiB per connection")
        self.assertLess(after, before + 4096, "memory of closed connections comes back")

    # --- TLS -----------------------------------------------------------------------------------

    def test_key_exchange_is_x25519_p256_or_p384_and_the_cpu_per_handshake_is_printed(self):
        server = self.start()
        figures = []
        for group, accepted in (("X25519", True), ("P-256", True), ("P-384", True),
                                ("ffdhe2048", False), ("ffdhe8192", False), ("P-521", False),
                                ("X448", False)):
            rounds = 20 if accepted else 3
            before = cpu_seconds(server.proc.pid)
            for _ in range(rounds):
                r = subprocess.run(["openssl", "s_client", "-connect", f"127.0.0.1:{server.port}",
                                    "-tls1_3", "-groups", group, "-CAfile", self.pki.ca_cert,
                                    "-servername", "localhost", "-brief"],
                                   input=b"", capture_output=True, timeout=30)
                established = r.returncode == 0 and b"CONNECTION ESTABLISHED" in r.stderr
                self.assertEqual(established, accepted, f"{group}: {r.stderr[-300:]!r}")
            ms = (cpu_seconds(server.proc.pid) - before) * 1000 / rounds
            figures.append(f"{group} {'accepted' if accepted else 'refused'} {ms:.1f} ms")
        print("\nserver CPU per TLS 1.3 handshake (10 ms ticks): " + ", ".join(figures),
              file=sys.stderr)

    # --- HTTP ----------------------------------------------------------------------------------

    def test_413_and_431_reach_a_client_that_is_still_sending(self):
        server = self.start()
        body = b"x" * (9 * MIB)
        for _ in range(5):
            s = self.tls(server.port)
            s.sendall(b"POST /mutate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                      + f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
            self.assertEqual(read_status(s), b"HTTP/1.1 413")
            s.close()
        for _ in range(3):
            s = self.tls(server.port)
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * (64 * 1024)
                      + b"\r\n\r\n" + b"y" * MIB)
            self.assertEqual(read_status(s), b"HTTP/1.1 431")
            s.close()

    def test_expect_100_continue_is_answered_and_obs_fold_is_refused(self):
        server = self.start()
        s = self.tls(server.port, timeout=5)
        s.sendall(b"POST /mutate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  + f"Content-Length: {len(self.body)}\r\nExpect: 100-continue\r\n\r\n".encode())
        self.assertEqual(s.recv(25), b"HTTP/1.1 100 Continue\r\n\r\n")
        s.sendall(self.body)
        self.assertEqual(s.recv(12), b"HTTP/1.1 200")
        s.close()
        s = self.tls(server.port)
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Folded: a\r\n b\r\n\r\n")
        self.assertEqual(read_status(s), b"HTTP/1.1 400")
        s.close()


if __name__ == "__main__":
    unittest.main(verbosity=2)
