"""Helpers for tests/integration/test_proxy*.py: local HTTP/HTTPS upstreams, the proxy harness
process, and a small HTTP/1.1 client that reads responses exactly as sent."""
import hashlib
import json
import random
import os
import socket
import ssl
import subprocess
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

IO_TIMEOUT = 20  # seconds: only a guard against hangs, never asserted on


def blob(mib):
    """The bytes /allowed/blob/MIB serves: pseudo-random, so a lost, repeated or reordered
    piece changes the digest."""
    return random.Random(mib).randbytes(mib << 20)


class UpstreamHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def _body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            data = b""
            while True:
                size = int(self.rfile.readline().strip(), 16)
                if size == 0:
                    self.rfile.readline()
                    return data
                data += self.rfile.read(size)
                self.rfile.readline()
        return self.rfile.read(int(self.headers.get("Content-Length", "0")))

    def _send(self, status, body, content_type="application/json", extra=()):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for k, v in extra:
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _handle(self):
        self.server.peers.append(self.client_address)
        if self.path.startswith("/sse"):
            return self._sse()
        if self.path.startswith("/ws-push") and self.headers.get("Upgrade", "").lower() == "websocket":
            return self._websocket_push()
        if self.path.startswith("/ws") and self.headers.get("Upgrade", "").lower() == "websocket":
            return self._websocket()
        if self.path.startswith("/unframed"):
            return self._unframed()
        if self.path.startswith("/big/"):
            return self._big(int(self.path.split("/")[2]))
        if self.path.startswith("/allowed/blob/"):
            return self._send(200, blob(int(self.path.split("/")[3])), "application/octet-stream")
        body = self._body()
        echo = {"method": self.command, "path": self.path, "headers": dict(self.headers.items()),
                "body_len": len(body), "body_sha256": hashlib.sha256(body).hexdigest(),
                "peer": list(self.client_address)}
        self._send(200, json.dumps(echo).encode(), extra=[("Connection", "keep-alive, X-Hop"),
                                                          ("X-Hop", "secret")])

    def _sse(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        self._chunk(b"data: one\n\n")
        self.server.sse_release.wait(IO_TIMEOUT)
        self._chunk(b"data: two\n\n")
        self._chunk(b"")

    def _chunk(self, data):
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()

    def _big(self, mib):
        piece = b"x" * (1 << 20)
        self.send_response(200)
        self.send_header("Content-Length", str(mib << 20))
        self.end_headers()
        for _ in range(mib):
            self.wfile.write(piece)

    def _unframed(self):
        self.send_response(200)
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(b"until-close")
        self.close_connection = True

    def _switch_to_websocket(self):
        self.send_response(101)
        self.send_header("Upgrade", "websocket")
        self.send_header("Connection", "Upgrade")
        self.end_headers()
        self.wfile.flush()

    def _websocket(self):
        self._switch_to_websocket()
        while True:
            data = self.connection.recv(4096)
            if not data:
                break
            self.connection.sendall(data.upper())
        self.close_connection = True

    def _websocket_push(self):
        """Upgrades, then only the server talks: 12 ticks 0.1 s apart, then it closes."""
        self._switch_to_websocket()
        for i in range(12):
            self.connection.sendall(b"tick %02d\n" % i)
            time.sleep(0.1)
        self.close_connection = True

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _handle


class Upstream:
    """A threaded HTTP(S) server on 127.0.0.1:0."""

    def __init__(self, cert=None, key=None):
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), UpstreamHandler)
        self.server.daemon_threads = True
        self.server.peers = []
        self.server.sse_release = threading.Event()
        if cert:
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(cert, key)
            self.server.socket = ctx.wrap_socket(self.server.socket, server_side=True)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.sse_release.set()
        self.server.shutdown()
        self.server.server_close()


# The test upstreams listen on loopback, which the proxy refuses by default (internal
# upstreams): the harness opts in unless a test says otherwise.
LOOPBACK = ("127.0.0.0/8", "::1/128")


class ProxyHarness:
    """Runs jk_proxy_harness; .port, .ca (the interception CA PEM), .audit_lines()."""

    def __init__(self, rules, upstream_ca=None, extra=(), allow_internal=LOOPBACK):
        binary = os.environ["JK_PROXY_HARNESS"]
        self.dir = tempfile.mkdtemp(prefix="jk-proxy-")
        args = [binary, "--dir", self.dir]
        for rule in rules:
            args += ["--allow", rule]
        for prefix in allow_internal:
            args += ["--allow-internal", prefix]
        if upstream_ca:
            args += ["--upstream-ca", upstream_ca]
        args += list(extra)
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        listening = self.proc.stdout.readline().split()
        ca = self.proc.stdout.readline().split()
        if len(listening) != 2 or listening[0] != "LISTENING":
            raise RuntimeError("harness did not start: " + self.proc.stderr.read())
        self.port = int(listening[1])
        self.ca = ca[1]

    def peak_rss_kib(self):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
        raise RuntimeError("no VmHWM")

    def audit_lines(self):
        path = os.path.join(self.dir, "audit-test.jsonl")
        if not os.path.exists(path):
            return []
        with open(path) as f:
            return [json.loads(line) for line in f]

    def client_context(self):
        ctx = ssl.create_default_context(cafile=self.ca)
        return ctx

    def connect(self):
        return socket.create_connection(("127.0.0.1", self.port), timeout=IO_TIMEOUT)

    def close(self):
        self.proc.terminate()
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        errors = self.proc.stderr.read()
        self.proc.stdout.close()
        self.proc.stderr.close()
        if "Sanitizer" in errors or "runtime error" in errors:  # ASan/UBSan builds
            raise AssertionError("jk_proxy_harness:\n" + errors)


class Response:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    def header(self, name):
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None

    def json(self):
        return json.loads(self.body)


def read_head(f):
    status_line = f.readline()
    if not status_line:
        raise EOFError("connection closed before a response")
    status = int(status_line.split()[1])
    headers = []
    while True:
        line = f.readline().decode("latin-1").rstrip("\r\n")
        if not line:
            break
        k, v = line.split(":", 1)
        headers.append((k.strip(), v.strip()))
    return status, headers


def read_chunk(f):
    size = int(f.readline().strip(), 16)
    data = f.read(size)
    f.readline()
    return data


def read_response(f, head_request=False):
    """Reads one response from a socket file (rb)."""
    status, headers = read_head(f)
    resp = Response(status, headers, b"")
    if head_request or status in (101, 204, 304):
        return resp
    if (resp.header("Transfer-Encoding") or "").lower() == "chunked":
        while True:
            data = read_chunk(f)
            if not data:
                break
            resp.body += data
    elif resp.header("Content-Length") is not None:
        resp.body = f.read(int(resp.header("Content-Length")))
    else:
        resp.body = f.read()
    return resp


def request(sock, method, target, host=None, headers=(), body=b""):
    lines = [f"{method} {target} HTTP/1.1"]
    if host:
        lines.append(f"Host: {host}")
    for k, v in headers:
        lines.append(f"{k}: {v}")
    if body:
        lines.append(f"Content-Length: {len(body)}")
    sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
