"""Keep-alive review clients and a one-address balancer, for the webhook's rollout and flood
tests (tests/integration/test_webhook_robustness.py) and their full-size runs (bench/robustness.py).

A ReviewClient behaves like the API server's HTTP client: it keeps its connection alive, reopens
it after a `Connection: close` answer, and does not reuse a connection the server has already
closed (Go's transport notices that before writing, so it is no lost review). It never retries a
request it wrote: a request that was written (even in part) and got no complete answer is a
failed review, exactly what `failurePolicy: Fail` turns into a failed pod creation.

The Balancer stands for a Service: new connections go, round robin, to the replicas whose
/readyz answered 200 at the last poll; open connections stay where they are (conntrack).
"""
import http.client
import itertools
import json
import select
import socket
import ssl
import threading
import time


def review_body(uid="load", pod=None):
    pod = pod or {"apiVersion": "v1", "kind": "Pod",
                  "metadata": {"name": "agent", "namespace": "agents"},
                  "spec": {"containers": [{"name": "agent", "image": "agent:1",
                                           "command": ["agent"]}]}}
    return json.dumps({"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
                       "request": {"uid": uid, "kind": {"group": "", "version": "v1", "kind": "Pod"},
                                   "operation": "CREATE", "namespace": "agents", "name": "agent",
                                   "object": pod}}).encode()


class Tally:
    """Counts what the clients saw; thread-safe."""

    def __init__(self):
        self._lock = threading.Lock()
        self.ok = 0          # 200 with a complete body
        self.failed = 0      # written, then no complete answer, or an answer other than 200
        self.refused = 0     # connect or TLS handshake failed: nothing of a review was sent
        self.closes = 0      # answers that carried Connection: close
        self.errors = []     # the first few failed reviews, for the assertion message

    def add(self, field, error=None):
        with self._lock:
            setattr(self, field, getattr(self, field) + 1)
            if field == "failed" and len(self.errors) < 10:
                self.errors.append(f"{time.monotonic():.3f} {error!r}")

    def snapshot(self):
        with self._lock:
            return {"ok": self.ok, "failed": self.failed, "refused": self.refused,
                    "closes": self.closes}


def read_status(sock, timeout=10):
    """The first 12 bytes of the answer's status line ("HTTP/1.1 413"), b"" if none came."""
    sock.settimeout(timeout)
    data = b""
    try:
        while b"\r\n" not in data:
            chunk = sock.recv(4096)
            if not chunk:
                break
            data += chunk
    except (OSError, ssl.SSLError):
        pass
    return data[:12]


def server_closed(sock):
    """True when the peer closed (or sent something unasked) on an idle connection."""
    try:
        readable, _, _ = select.select([sock], [], [], 0)
    except (OSError, ValueError):
        return True
    return bool(readable)


class ReviewClient(threading.Thread):
    """Posts reviews on one keep-alive connection until `stop` is set."""

    def __init__(self, port_of, context, body, tally, stop, pause=0.0, timeout=10):
        super().__init__(daemon=True)
        self.port_of = port_of  # () -> port to connect to
        self.context = context
        self.body = body
        self.tally = tally
        self.stop = stop
        self.pause = pause
        self.timeout = timeout
        self.conn = None

    def _connect(self):
        conn = http.client.HTTPSConnection("127.0.0.1", self.port_of(), context=self.context,
                                           timeout=self.timeout)
        try:
            conn.connect()
        except (OSError, ssl.SSLError) as e:
            conn.close()
            self.tally.add("refused", e)
            return None
        return conn

    def _one(self):
        if self.conn is not None and server_closed(self.conn.sock):
            self.conn.close()
            self.conn = None
        if self.conn is None:
            self.conn = self._connect()
            if self.conn is None:
                self.stop.wait(0.01)  # nothing listens: the next try goes through the balancer again
                return
        try:
            self.conn.request("POST", "/mutate", body=self.body,
                              headers={"Content-Type": "application/json"})
            resp = self.conn.getresponse()
            data = resp.read()
        except (OSError, ssl.SSLError, http.client.HTTPException) as e:
            self.tally.add("failed", e)
            self.conn.close()
            self.conn = None
            return
        if resp.status != 200 or not data:
            self.tally.add("failed", f"status {resp.status}: {data[:100]!r}")
        else:
            self.tally.add("ok")
        if resp.will_close:
            self.tally.add("closes")
            self.conn.close()
            self.conn = None

    def run(self):
        while not self.stop.is_set():
            self._one()
            if self.pause:
                self.stop.wait(self.pause)
        if self.conn is not None:
            self.conn.close()


def get(port, path, context=None, timeout=5):
    """One GET on a fresh connection (HTTPS when a context is given): status, or the error."""
    if context is not None:
        conn = http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=timeout)
    else:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        resp = conn.getresponse()
        resp.read()
        return resp.status
    except (OSError, ssl.SSLError, http.client.HTTPException) as e:
        return e
    finally:
        conn.close()


class Balancer:
    """One address in front of several replicas, like a Service: new connections go round robin
    to the replicas whose /readyz answered 200 at the last poll (every `poll_s`)."""

    def __init__(self, context, poll_s=0.05):
        self.context = context
        self.poll_s = poll_s
        self._lock = threading.Lock()
        self._backends = {}  # name -> {"port": int, "ready": bool}
        self._rr = itertools.count()
        self._stop = threading.Event()
        self.no_backend = 0  # connections closed at once: no ready replica
        self.listener = socket.create_server(("127.0.0.1", 0), backlog=1024)
        self.port = self.listener.getsockname()[1]
        self._threads = [threading.Thread(target=self._accept, daemon=True),
                         threading.Thread(target=self._poll, daemon=True)]
        for t in self._threads:
            t.start()

    def add(self, name, port):
        with self._lock:
            self._backends[name] = {"port": port, "ready": False}

    def remove(self, name):
        with self._lock:
            self._backends.pop(name, None)

    def ready(self, name):
        with self._lock:
            b = self._backends.get(name)
            return bool(b and b["ready"])

    def close(self):
        self._stop.set()
        self.listener.close()

    def _poll(self):
        while not self._stop.is_set():
            with self._lock:
                ports = {n: b["port"] for n, b in self._backends.items()}
            for name, port in ports.items():
                ready = get(port, "/readyz", self.context, timeout=2) == 200
                with self._lock:
                    if name in self._backends:
                        self._backends[name]["ready"] = ready
            self._stop.wait(self.poll_s)

    def _pick(self):
        with self._lock:
            ready = sorted(b["port"] for b in self._backends.values() if b["ready"])
        return ready[next(self._rr) % len(ready)] if ready else None

    def _accept(self):
        while not self._stop.is_set():
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            port = self._pick()
            upstream = None
            if port is not None:
                try:
                    upstream = socket.create_connection(("127.0.0.1", port), timeout=5)
                except OSError:
                    upstream = None
            if upstream is None:
                self.no_backend += 1
                client.close()
                continue
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(src, dst):
        try:
            src.settimeout(None)
            while True:
                data = src.recv(65536)
                if not data:
                    break
                dst.sendall(data)
            dst.shutdown(socket.SHUT_WR)
        except OSError:
            for s in (src, dst):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
