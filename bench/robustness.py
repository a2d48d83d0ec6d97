#!/usr/bin/env python3
"""Full-size robustness figures for `jailkeeper-webhook serve` (bench/README.md, "Robustness").

    bench/robustness.py BINARY [SCENARIO...]     # default: every scenario

Scenarios (each starts its own server on 127.0.0.1 with certificates made for the run):
  sigterm    failed reviews per SIGTERM: 64 keep-alive clients busy across SIGTERM, 5 runs
  rollout    2 replicas behind one address, 3 rolling restarts under 64 busy clients
  flood      probe (/healthz, /readyz on the webhook port; /metrics) and review success while
             2,100 connections are held on the webhook port (idle keep-alive, then silent TCP)
  memory     peak RSS with 32 connections holding almost complete 8 MiB bodies; RSS per idle
             keep-alive connection (2,000) and after they close
  worst      peak RSS with 2,000 connections holding 15 KiB partial headers and the request
             memory budget full of held bodies: what the chart's memory limit is set from
  handshake  server CPU per TLS 1.3 handshake, per key-exchange group (openssl s_client)
  linger     413 / 431 received by clients that send a 9 MiB body (64 KiB header) before reading
  http       Expect: 100-continue answered with 100 Continue; obs-folded header refused

The same scenarios, scaled to seconds, are tests in tests/integration/test_webhook_robustness.py.
Nothing here asserts: it prints figures (one `JKROBUST name key=value ...` line each).
"""
import itertools
import json
import os
import resource
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "support"))
from pki import Pki  # noqa: E402
from review_load import (Balancer, ReviewClient, Tally, get, read_status,  # noqa: E402
                         review_body)
import webhook_process  # noqa: E402

NODES = os.path.join(ROOT, "tests", "fixtures", "golden", "nodes.json")
REVIEW = os.path.join(ROOT, "bench", "fixtures", "review.json")
MIB = 1024 * 1024
TRIM_WAIT_S = 6  # the server hands freed memory back every 5 s; "after" is read after one round


def emit(name, **figures):
    print("JKROBUST " + name + " " + " ".join(f"{k}={v}" for k, v in figures.items()), flush=True)


class Env:
    def __init__(self, binary):
        webhook_process.BINARY = binary
        self.tmp = tempfile.mkdtemp(prefix="jk-robust-")
        os.makedirs(os.path.join(self.tmp, "pki"))
        self.pki = Pki(os.path.join(self.tmp, "pki"))
        self.cert, self.key, _ = self.pki.issue("server")
        self.context = ssl.create_default_context(cafile=self.pki.ca_cert)
        with open(REVIEW, "rb") as f:
            self.body = json.dumps(json.load(f), separators=(",", ":")).encode()

    def server(self, config="", extra=()):
        path = os.path.join(self.tmp, f"config-{time.monotonic_ns()}.yaml")
        with open(path, "w") as f:
            f.write("server:\n  certReloadInterval: 1s\n" + config)
        return webhook_process.WebhookProcess(
            ["serve", "--config", path, "--listen", "127.0.0.1:0", "--metrics-listen", "127.0.0.1:0",
             "--tls-cert", self.cert, "--tls-key", self.key, "--nodes", NODES,
             *extra])

    def tls(self, port):
        return self.context.wrap_socket(socket.create_connection(("127.0.0.1", port), timeout=20),
                                        server_hostname="localhost")


def rss_kib(pid, field="VmRSS"):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return -1


def settle(pid, limit_s=10):
    """Waits until the RSS stops changing (by less than 1 MiB over 0.5 s)."""
    deadline = time.monotonic() + limit_s
    last = rss_kib(pid)
    while time.monotonic() < deadline:
        time.sleep(0.5)
        now = rss_kib(pid)
        if abs(now - last) < 1024:
            return
        last = now


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_ready(env, server):
    deadline = time.monotonic() + 20
    while get(server.port, "/readyz", env.context) != 200:
        if time.monotonic() > deadline:
            raise RuntimeError("server never became ready")
        time.sleep(0.05)


# --- sigterm / rollout ---------------------------------------------------------------------------

SHUTDOWN = "  shutdownGrace: 15s\n"


def sigterm(env, runs=5, clients=64):
    failed = []
    for run in range(runs):
        server = env.server(SHUTDOWN)
        tally, stop = Tally(), threading.Event()
        workers = [ReviewClient(lambda: server.port, env.context, env.body, tally, stop, pause=0.002)
                   for _ in range(clients)]
        for w in workers:
            w.start()
        while tally.snapshot()["ok"] < clients * 20:
            time.sleep(0.01)
        server.proc.send_signal(15)
        code = server.proc.wait(timeout=30)
        stop.set()
        for w in workers:
            w.join(timeout=20)
        server.kill()
        s = tally.snapshot()
        failed.append(s["failed"])
        emit("sigterm.run", run=run + 1, exit=code, **s, first_errors=";".join(tally.errors[:2]) or "-")
    emit("sigterm", runs=runs, clients=clients, failed_total=sum(failed),
         failed_per_sigterm=f"{sum(failed) / runs:.1f}", worst=max(failed))


def rollout(env, restarts=3, clients=64):
    lb = Balancer(env.context)
    replicas = {}
    serial = itertools.count(1)

    def start_replica():
        name = f"r{next(serial)}"
        replicas[name] = env.server(SHUTDOWN)
        lb.add(name, replicas[name].port)
        deadline = time.monotonic() + 20
        while not lb.ready(name):
            if time.monotonic() > deadline:
                raise RuntimeError("replica never ready")
            time.sleep(0.02)
        return name

    current = [start_replica(), start_replica()]
    tally, stop = Tally(), threading.Event()
    workers = [ReviewClient(lambda: lb.port, env.context, env.body, tally, stop, pause=0.002)
               for _ in range(clients)]
    for w in workers:
        w.start()
    codes = []
    for _ in range(restarts):
        for i, old in enumerate(list(current)):
            new = start_replica()  # maxSurge 1, maxUnavailable 0
            replicas[old].proc.send_signal(15)
            codes.append(replicas[old].proc.wait(timeout=30))
            lb.remove(old)
            replicas.pop(old).kill()
            current[i] = new
    stop.set()
    for w in workers:
        w.join(timeout=20)
    for r in replicas.values():
        r.kill()
    lb.close()
    emit("rollout", replicas=2, restarts=restarts, sigterms=len(codes), clients=clients,
         **tally.snapshot(), no_backend=lb.no_backend, exits="/".join(map(str, sorted(set(codes)))),
         first_errors=";".join(tally.errors[:2]) or "-")


# --- flood ---------------------------------------------------------------------------------------

def probe_round(env, server, rounds=49):
    counts = {"healthz": 0, "readyz": 0, "metrics": 0, "review": 0}
    for _ in range(rounds):
        counts["healthz"] += get(server.port, "/healthz", env.context) == 200
        counts["readyz"] += get(server.port, "/readyz", env.context) == 200
        counts["metrics"] += get(server.metrics_port, "/metrics") == 200
        try:
            s = env.tls(server.port)
            s.sendall(b"POST /mutate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                      + f"Content-Length: {len(env.body)}\r\n\r\n".encode() + env.body)
            counts["review"] += s.recv(12) == b"HTTP/1.1 200"
            s.close()
        except (OSError, ssl.SSLError):
            pass
    return {k: f"{v}/{rounds}" for k, v in counts.items()}


def flood(env, held=2100):
    server = env.server()
    wait_ready(env, server)
    # 1. Idle keep-alive connections: each did one request, then holds the connection.
    conns = []
    for _ in range(held):
        try:
            s = env.tls(server.port)
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            if s.recv(4096).startswith(b"HTTP/1.1 200"):
                conns.append(s)
            else:
                s.close()
        except (OSError, ssl.SSLError):
            break
    emit("flood.keepalive", held=len(conns), **probe_round(env, server))
    for s in conns:
        s.close()
    # 2. Silent TCP connections (no TLS handshake), reopened as the server closes them.
    stop = threading.Event()
    silent = []

    def hold():
        while not stop.is_set():
            while len(silent) < held and not stop.is_set():
                try:
                    silent.append(socket.create_connection(("127.0.0.1", server.port), timeout=5))
                except OSError:
                    break
            for s in list(silent):
                if stop.is_set():
                    break
                try:
                    s.setblocking(False)
                    if s.recv(1) == b"":
                        silent.remove(s)
                        s.close()
                except BlockingIOError:
                    pass
                except OSError:
                    silent.remove(s)
                    s.close()
            stop.wait(0.05)

    t = threading.Thread(target=hold, daemon=True)
    t.start()
    while len(silent) < held:
        time.sleep(0.05)
    emit("flood.silent", held=len(silent), **probe_round(env, server))
    stop.set()
    t.join()
    for s in silent:
        s.close()
    server.kill()


# --- memory --------------------------------------------------------------------------------------

def memory(env, bodies=32, body_bytes=8 * MIB, keepalive=2000):
    # A long read timeout: what is measured is memory, not how fast this machine encrypts 256 MiB.
    server = env.server("  readTimeout: 120s\n")
    wait_ready(env, server)
    pid = server.proc.pid
    base = rss_kib(pid)
    chunk = b" " * (256 * 1024)
    refused = []

    def send_almost_all():
        s = env.tls(server.port)
        held.append(s)
        try:
            s.sendall(b"POST /mutate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                      + f"Content-Length: {body_bytes}\r\n\r\n".encode())
            sent = 0
            while sent < body_bytes - 1:
                n = min(len(chunk), body_bytes - 1 - sent)
                s.sendall(chunk[:n])
                sent += n
        except (OSError, ssl.SSLError):
            refused.append(1)

    held = []
    senders = [threading.Thread(target=send_almost_all) for _ in range(bodies)]
    for t in senders:
        t.start()
    for t in senders:
        t.join()
    refused = len(refused)
    settle(pid)  # the last bytes may still sit in socket buffers
    peak_bodies = rss_kib(pid, "VmHWM")
    rss_bodies = rss_kib(pid)
    for s in held:
        s.close()
    time.sleep(TRIM_WAIT_S)
    settle(pid)
    after_bodies = rss_kib(pid)
    emit("memory.bodies", connections=bodies, body_mib=body_bytes // MIB, refused=refused,
         base_mib=f"{base / 1024:.0f}", rss_mib=f"{rss_bodies / 1024:.0f}",
         peak_mib=f"{peak_bodies / 1024:.0f}", after_close_mib=f"{after_bodies / 1024:.0f}")
    # Idle keep-alive connections.
    before = rss_kib(pid)
    conns = []
    for i in range(keepalive):
        s = env.tls(server.port)
        s.sendall(b"POST /mutate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  + f"Content-Length: {len(env.body)}\r\n\r\n".encode() + env.body)
        data = b""
        while b"\r\n\r\n" not in data:
            data += s.recv(65536)
        conns.append(s)
    settle(pid)
    during = rss_kib(pid)
    for s in conns:
        s.close()
    time.sleep(TRIM_WAIT_S)
    settle(pid)
    after = rss_kib(pid)
    emit("memory.keepalive", connections=keepalive, before_mib=f"{before / 1024:.0f}",
         with_connections_mib=f"{during / 1024:.0f}",
         per_connection_kib=f"{(during - before) / keepalive:.1f}", after_close_mib=f"{after / 1024:.0f}",
         peak_mib=f"{rss_kib(pid, 'VmHWM') / 1024:.0f}")
    server.kill()


def worst(env, connections=2000, header_bytes=15 * 1024):
    """The most memory clients can hold at once: every connection of the budget holding an
    almost complete 15 KiB header (the header buffer and a TLS record buffer each), and the
    request memory budget filled with held bodies (9 x 8 MiB + 12 x 2 MiB = 96 MiB)."""
    server = env.server("  readTimeout: 120s\n")
    wait_ready(env, server)
    pid = server.proc.pid
    base = rss_kib(pid)
    held = []
    for _ in range(connections):
        s = env.tls(server.port)
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Pad: " + b"a" * header_bytes)
        held.append(s)
    settle(pid)
    headers = rss_kib(pid)
    answers = []

    def hold_body(size):
        s = env.tls(server.port)
        held.append(s)
        try:
            s.sendall(b"POST /mutate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                      + f"Content-Length: {size}\r\n\r\n".encode() + b" " * (size - 1))
        except (OSError, ssl.SSLError):
            answers.append("error")

    # Large leases first (they may take three quarters of the budget), then the small ones.
    for size, count in ((8 * MIB, 9), (2 * MIB, 12)):
        senders = [threading.Thread(target=hold_body, args=(size,)) for _ in range(count)]
        for t in senders:
            t.start()
        for t in senders:
            t.join()
    settle(pid)
    peak = rss_kib(pid, "VmHWM")
    metrics = subprocess.run(["curl", "-s", f"http://127.0.0.1:{server.metrics_port}/metrics"],
                             capture_output=True, text=True).stdout
    in_flight = [l for l in metrics.splitlines() if l.startswith("jailkeeper_request_memory_bytes ")]
    emit("worst", connections=connections, header_kib=header_bytes // 1024,
         base_mib=f"{base / 1024:.0f}", with_headers_mib=f"{headers / 1024:.0f}",
         per_connection_kib=f"{(headers - base) / connections:.1f}",
         budget_in_flight=(in_flight[0].split()[1] if in_flight else "n/a"),
         peak_mib=f"{peak / 1024:.0f}", errors=len(answers))
    for s in held:
        s.close()
    server.kill()


# --- handshake -----------------------------------------------------------------------------------

GROUPS = ["X25519", "P-256", "P-384", "P-521", "X448", "ffdhe2048", "ffdhe3072", "ffdhe4096",
          "ffdhe6144", "ffdhe8192"]


def handshake(env):
    server = env.server()
    wait_ready(env, server)
    for group in GROUPS:
        per_group = 20 if group in ("ffdhe6144", "ffdhe8192") else 100  # CPU ticks are 10 ms
        before = cpu_seconds(server.proc.pid)
        ok = 0
        for _ in range(per_group):
            r = subprocess.run(["openssl", "s_client", "-connect", f"127.0.0.1:{server.port}",
                                "-tls1_3", "-groups", group, "-CAfile", env.pki.ca_cert,
                                "-servername", "localhost", "-brief"],
                               input=b"", capture_output=True, timeout=30)
            ok += r.returncode == 0 and b"CONNECTION ESTABLISHED" in r.stderr
        spent = cpu_seconds(server.proc.pid) - before
        emit("handshake", group=group, accepted=f"{ok}/{per_group}",
             server_cpu_ms_per_handshake=f"{spent * 1000 / per_group:.2f}")
    server.kill()


# --- linger --------------------------------------------------------------------------------------

def linger(env, tries=20):
    server = env.server()
    wait_ready(env, server)
    got = {"413": 0, "431": 0}
    body = b"x" * (9 * MIB)
    for _ in range(tries):
        s = env.tls(server.port)
        try:
            s.sendall(b"POST /mutate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                      + f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
        except (OSError, ssl.SSLError):
            pass
        got["413"] += read_status(s) == b"HTTP/1.1 413"
        s.close()
        s = env.tls(server.port)
        try:
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * (64 * 1024) + b"\r\n\r\n"
                      + b"y" * MIB)
        except (OSError, ssl.SSLError):
            pass
        got["431"] += read_status(s) == b"HTTP/1.1 431"
        s.close()
    emit("linger", tries=tries, got_413=f"{got['413']}/{tries}", got_431=f"{got['431']}/{tries}")
    server.kill()


# --- http ----------------------------------------------------------------------------------------

def http_details(env):
    server = env.server()
    wait_ready(env, server)
    s = env.tls(server.port)
    s.sendall(b"POST /mutate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
              + f"Content-Length: {len(env.body)}\r\nExpect: 100-continue\r\n\r\n".encode())
    s.settimeout(3)
    try:
        first = s.recv(64)
    except (OSError, ssl.SSLError):
        first = b"(nothing within 3 s)"
    s.close()
    s = env.tls(server.port)
    s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Folded: a\r\n b\r\n\r\n")
    folded = read_status(s)
    s.close()
    emit("http", expect_100_first_bytes=repr(first[:25]).replace(" ", "_"),
         obs_fold_answer=repr(folded).replace(" ", "_"))
    server.kill()


SCENARIOS = {"sigterm": sigterm, "rollout": rollout, "flood": flood, "memory": memory, "worst": worst,
             "handshake": handshake, "linger": linger, "http": http_details}


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 65536), hard))
    env = Env(os.path.abspath(sys.argv[1]))
    for name in sys.argv[2:] or SCENARIOS:
        SCENARIOS[name](env)
    return 0


if __name__ == "__main__":
    sys.exit(main())
