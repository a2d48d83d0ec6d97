"""A pod's network for the real-runtime tests, made the way a CNI plugin would: a network
namespace (`ip netns add`), a veth pair with a private /30 on it (host side .1, pod side .2, the
pod's default route via the host side), and an HTTP + UDP "upstream" listening on the host side
that records what reached it. Everything is removed by close().

The upstream answers every GET with 200 and the body "upstream TOKEN PATH"; it records each
request's path (a request for /direct-tcp reaching it means a jailed agent bypassed the proxy) and
each UDP datagram (none may arrive from a jailed agent)."""
import http.server
import os
import re
import socket
import subprocess
import threading

IP_TIMEOUT_S = 30


class NetworkUnavailable(Exception):
    """`ip netns`/veth cannot be used here; the message says why."""


def _ip(*args, batch=None):
    done = subprocess.run(["ip", *args], input=batch, capture_output=True, text=True,
                          timeout=IP_TIMEOUT_S)
    if done.returncode != 0:
        raise NetworkUnavailable(f"ip {' '.join(args)} {batch or ''}: {done.stderr.strip()}")


class PodNetwork:
    """Pod number `index`'s network namespace: its own /30 in 10.200.0.0/13 (by process and
    index, so that a namespace still being torn down never shares an address with the next)."""

    def __init__(self, index):
        self.name = f"jkps{os.getpid()}-{index}"
        self.host_if = f"jkh{os.getpid() % 100000}x{index}"[:15]
        block = (os.getpid() % 8) << 16 | (index % 16384) << 2
        prefix = f"10.{200 + (block >> 16)}.{block >> 8 & 255}."
        self.host_ip = prefix + str((block & 255) + 1)
        self.pod_ip = prefix + str((block & 255) + 2)
        self.path = f"/var/run/netns/{self.name}"
        self._made = False

    def __enter__(self):
        _ip("netns", "add", self.name)
        self._made = True
        try:  # two batches: the host side, then the pod side (fewer processes per pod)
            _ip("-batch", "-", batch=f"link add {self.host_if} type veth peer name eth0 netns "
                f"{self.name}\naddr add {self.host_ip}/30 dev {self.host_if}\n"
                f"link set {self.host_if} up\n")
            _ip("-n", self.name, "-batch", "-", batch=f"addr add {self.pod_ip}/30 dev eth0\n"
                "link set eth0 up\nlink set lo up\n"
                f"route add default via {self.host_ip}\n")
        except NetworkUnavailable:
            self.close()
            raise
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        if self._made:
            # Deleting one end destroys the pair at once (the namespace goes asynchronously).
            subprocess.run(["ip", "link", "delete", self.host_if], capture_output=True,
                           timeout=IP_TIMEOUT_S)
            subprocess.run(["ip", "netns", "delete", self.name], capture_output=True,
                           timeout=IP_TIMEOUT_S)
            self._made = False


def remove_stale_namespaces():
    """Deletes the pod namespaces (and with them the veth pairs) of runs that were killed: names
    jkpsPID-N whose process is gone."""
    listed = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True,
                            timeout=IP_TIMEOUT_S).stdout
    for name in re.findall(r"^(jkps(\d+)-\d+)", listed, re.MULTILINE):
        if not os.path.exists(f"/proc/{name[1]}"):
            subprocess.run(["ip", "netns", "delete", name[0]], capture_output=True,
                           timeout=IP_TIMEOUT_S)


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):  # noqa: N802 (http.server's naming)
        self.server.upstream.paths.append(self.path)
        body = f"upstream {self.server.upstream.token} {self.path}".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)
        self.close_connection = True

    def log_message(self, *args):
        pass


class Upstream:
    """HTTP on (ip, random port) and a UDP socket on (ip, random port)."""

    def __init__(self, ip, token):
        self.token = token
        self.paths = []
        self.http = http.server.ThreadingHTTPServer((ip, 0), _Handler)
        self.http.daemon_threads = True
        self.http.upstream = self
        self.port = self.http.server_address[1]
        self.udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.udp.bind((ip, 0))
        self.udp_port = self.udp.getsockname()[1]
        self._thread = threading.Thread(target=self.http.serve_forever, daemon=True)
        self._thread.start()

    def reset(self):
        """Forgets what reached it so far (the baseline's traffic, before the jailed run)."""
        self.datagrams()
        self.paths.clear()

    def datagrams(self):
        """Every datagram received so far (non-blocking)."""
        got = []
        self.udp.setblocking(False)
        while True:
            try:
                got.append(self.udp.recv(2048))
            except BlockingIOError:
                return got

    def close(self):
        self.http.shutdown()
        self.http.server_close()
        self.udp.close()
