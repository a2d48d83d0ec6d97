"""seccompjail escape tests: the agent runs under the real filter, listener handover and broker
(jk_seccompjail_harness, with a stand-in proxy that records the original destination), as root
and as an unprivileged user with an empty capability bounding set. Every TCP connect, to any
address, must end at the proxy; UDP only reaches the DNS stub; raw/packet/netlink-other sockets,
io_uring and i386 syscalls are refused; the agent cannot ptrace the launcher; a thread rewriting
the sockaddr during connect/sendto cannot reach anything else."""
import errno
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import unittest

HARNESS = os.environ.get("JK_SECCOMPJAIL_HARNESS", "build/tests/integration/jk_seccompjail_harness")
PROBE_SRC = os.environ.get("JK_SECCOMP_PROBE_SRC", "../support/seccomp_probe.c")
# The agent interpreter must be readable by the unprivileged user (not a pyenv under /root).
AGENT_PYTHON = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable
NOBODY = 65534
SIGSYS_EXIT = 128 + 31
SETUP_FAILED = 125
WAIT = 10  # seconds to wait for a server thread to record what it received


class Recorder:
    """Thread-safe list with a wait for at least n entries."""

    def __init__(self):
        self.items = []
        self.cond = threading.Condition()

    def add(self, item):
        with self.cond:
            self.items.append(item)
            self.cond.notify_all()

    def wait_for(self, n):
        with self.cond:
            self.cond.wait_for(lambda: len(self.items) >= n, timeout=WAIT)
            return list(self.items)

    def snapshot(self):
        with self.cond:
            return list(self.items)


def serve_tcp(handler):
    listener = socket.create_server(("127.0.0.1", 0))

    def loop():
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            threading.Thread(target=handler, args=(conn,), daemon=True).start()

    threading.Thread(target=loop, daemon=True).start()
    return listener


class StandInProxy:
    """Reads the harness's "ORIG <destination>" line, answers HTTP 200 with body
    "proxy saw <destination>", then records what the agent sends until EOF."""

    def __init__(self):
        self.origins = Recorder()
        self.payloads = Recorder()
        self.listener = serve_tcp(self.handle)
        self.port = self.listener.getsockname()[1]

    def handle(self, conn):
        with conn:
            reader = conn.makefile("rb")  # noqa: SIM115 (closed with conn)
            origin = reader.readline().decode().strip().removeprefix("ORIG ")
            self.origins.add(origin)
            body = ("proxy saw " + origin).encode()
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s"
                         % (len(body), body))
            try:
                conn.shutdown(socket.SHUT_WR)
                self.payloads.add(reader.read())
            except OSError:  # the agent closed without reading (race probe)
                pass


class Upstream:
    """A real local TCP service the agent must never reach directly."""

    def __init__(self):
        self.hits = Recorder()
        self.listener = serve_tcp(self.handle)
        self.port = self.listener.getsockname()[1]

    def handle(self, conn):
        self.hits.add(1)
        with conn:
            conn.sendall(b"DIRECT\n")


class Udp:
    """A UDP socket on loopback; `reply` answers every datagram with b"STUB:" + data, or with
    a placeholder DNS answer when it looks like a DNS query."""

    def __init__(self, reply):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.received = Recorder()
        threading.Thread(target=self.loop, args=(reply,), daemon=True).start()

    def loop(self, reply):
        while True:
            try:
                data, peer = self.sock.recvfrom(65535)
            except OSError:
                return
            self.received.add(data)
            if reply and len(data) > 12:
                self.sock.sendto(placeholder_dns_answer(data), peer)
            elif reply:
                self.sock.sendto(b"STUB:" + data, peer)


def placeholder_dns_answer(query):
    """A DNS response: A 6.6.6.6 for A questions, no answers otherwise (boundary's placeholder;
    the real stub is launcher/net/dns_stub.h)."""
    end = 12
    while query[end] != 0:
        end += query[end] + 1
    question = query[12:end + 5]
    qtype = int.from_bytes(query[end + 1:end + 3], "big")
    answer = b"\xc0\x0c\x00\x01\x00\x01\x00\x00\x00\x3c\x00\x04\x06\x06\x06\x06" if qtype == 1 else b""
    return (query[:2] + b"\x81\x80\x00\x01" + (b"\x00\x01" if answer else b"\x00\x00")
            + b"\x00\x00\x00\x00" + question + answer)


AGENT_TCP = r"""
import asyncio, json, socket, sys
out = {}
for host in sys.argv[1:]:
    fam = socket.AF_INET6 if ":" in host else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_STREAM)
    s.connect((host, 80))
    out[host] = s.makefile("rb").read().split(b"\r\n\r\n", 1)[1].decode()
async def nonblocking():
    r, w = await asyncio.open_connection("192.0.2.9", 443)
    return (await r.read()).split(b"\r\n\r\n", 1)[1].decode()
out["asyncio"] = asyncio.run(nonblocking())
print(json.dumps(out))
"""

AGENT_UDP = r"""
import json, socket, sys
sink = int(sys.argv[1])
out = {}
def attempt(name, f):
    try:
        out[name] = f()
    except OSError as e:
        out[name] = e.errno
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.settimeout(5)
attempt("sendto_sink", lambda: u.sendto(b"leak", ("127.0.0.1", sink)))
attempt("connect_sink", lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM).connect(("127.0.0.1", sink)))
attempt("sendmsg_sink", lambda: u.sendmsg([b"leak"], [], 0, ("127.0.0.1", sink)))
def dns_sendto():
    u.sendto(b"q1", ("192.0.2.53", 53))
    return u.recv(100).decode()
attempt("dns_sendto", dns_sendto)
def dns_connected():
    c = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    c.settimeout(5)
    c.connect(("2001:db8::53", 53))
    c.send(b"q2")
    return c.recv(100).decode()
attempt("dns_connected_v6", dns_connected)
print(json.dumps(out))
"""

AGENT_KERNEL = r"""
import ctypes, errno, json, os, socket
libc = ctypes.CDLL(None, use_errno=True)
out = {}
def sock(name, *args):
    try:
        socket.socket(*args).close()
        out[name] = 0
    except OSError as e:
        out[name] = e.errno
sock("packet", socket.AF_PACKET, socket.SOCK_RAW, 0)
sock("raw_icmp", socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
sock("raw_v6", socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
sock("netlink_netfilter", socket.AF_NETLINK, socket.SOCK_RAW, 12)
sock("netlink_route", socket.AF_NETLINK, socket.SOCK_DGRAM, 0)
try:
    socket.socket(40, socket.SOCK_STREAM).connect((2, 1234))  # AF_VSOCK to the host (Firecracker)
    out["vsock_connect"] = 0
except OSError as e:
    out["vsock_connect"] = e.errno
def syscall_errno(*args):
    ctypes.set_errno(0)
    rc = libc.syscall(*args)
    return 0 if rc >= 0 else ctypes.get_errno()
params = ctypes.create_string_buffer(120)
out["io_uring_setup"] = syscall_errno(425, 4, params)
out["ptrace_launcher"] = syscall_errno(101, 16, os.getppid(), 0, 0)
try:
    open("/proc/%d/mem" % os.getppid(), "rb").read(1)
    out["launcher_mem"] = 0
except OSError as e:
    out["launcher_mem"] = e.errno
out["pidfd_getfd_launcher"] = syscall_errno(438, os.pidfd_open(os.getppid()), 0, 0)
status = dict(l.split(":", 1) for l in open("/proc/self/status").read().splitlines() if ":" in l)
for k in ("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb", "NoNewPrivs", "Seccomp"):
    out[k] = status[k].strip()
print(json.dumps(out))
"""

AGENT_SENDMSG = r"""
import array, fcntl, json, os, socket, sys
out = {}
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
s.setblocking(False)
try:
    s.connect(("192.0.2.80", 80))
except BlockingIOError:
    pass
out["kept_nodelay"] = s.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0
out["kept_nonblocking"] = bool(fcntl.fcntl(s.fileno(), fcntl.F_GETFL) & os.O_NONBLOCK)
s.setblocking(True)
out["sendmsg_tcp"] = s.sendmsg([b"via ", b"sendmsg"])
s.shutdown(socket.SHUT_WR)
out["reply"] = s.makefile("rb").read().split(b"\r\n\r\n", 1)[1].decode()
a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)
r, w = os.pipe()
os.write(w, b"through SCM_RIGHTS")
a.sendmsg([b"fd"], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", [r]))])
msg, anc, _, _ = b.recvmsg(10, socket.CMSG_SPACE(4))
fd = array.array("i", anc[0][2])[0]
out["passed_fd"] = os.read(fd, 100).decode()
print(json.dumps(out))
"""

AGENT_UNIX = r"""
import socket, sys
try:
    c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    c.connect(sys.argv[1])
    print(c.recv(100).decode())
except OSError as e:
    print("errno", e.errno)
"""


class SeccompJail(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="jk-seccompjail-")
        os.chmod(cls.tmp, 0o755)
        cls.probe = os.path.join(cls.tmp, "seccomp_probe")
        subprocess.run(["cc", "-O2", "-pthread", "-o", cls.probe, PROBE_SRC], check=True)
        available = subprocess.run([HARNESS, "--available"], capture_output=True, text=True)
        if available.returncode != 0:
            raise unittest.SkipTest(available.stdout.strip() or available.stderr.strip())
        cls.users = ["root"]
        if os.geteuid() == 0 and shutil.which("setpriv"):
            cls.users.append("nobody")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def setUp(self):
        self.proxy = StandInProxy()
        self.upstream = Upstream()
        self.sink = Udp(reply=False)
        self.dns = Udp(reply=True)

    def tearDown(self):
        for s in (self.proxy.listener, self.upstream.listener, self.sink.sock, self.dns.sock):
            s.close()

    def jailed(self, user, command, *flags, stand_in_dns=True):
        prefix = []
        if user == "nobody":
            prefix = ["setpriv", "--reuid=%d" % NOBODY, "--regid=%d" % NOBODY, "--clear-groups",
                      "--inh-caps=-all", "--bounding-set=-all", "--"]
        dns = ["--dns", str(self.dns.port)] if stand_in_dns else []  # else the real stub
        args = [*prefix, HARNESS, "--proxy", str(self.proxy.port), *dns, *flags, "--", *command]
        return subprocess.run(args, capture_output=True, text=True, timeout=60, cwd=self.tmp)

    def agent_json(self, user, script, *args, flags=()):
        r = self.jailed(user, [AGENT_PYTHON, "-c", script, *map(str, args)], *flags)
        self.assertEqual(r.returncode, 0, r.stderr)
        return json.loads(r.stdout)

    def test_every_tcp_connect_ends_at_the_proxy_with_its_original_destination(self):
        hosts = ["192.0.2.1", "127.0.0.1", "2001:db8::5", "::ffff:192.0.2.7", "::1"]
        expected = {
            "192.0.2.1": "proxy saw 192.0.2.1:80",
            "127.0.0.1": "proxy saw 127.0.0.1:80",
            "2001:db8::5": "proxy saw [2001:db8::5]:80",
            "::ffff:192.0.2.7": "proxy saw 192.0.2.7:80",  # v4-mapped: the IPv4 destination
            "::1": "proxy saw [::1]:80",
            "asyncio": "proxy saw 192.0.2.9:443",  # non-blocking connect
        }
        for user in self.users:
            with self.subTest(user=user):
                self.assertEqual(self.agent_json(user, AGENT_TCP, *hosts), expected)

    def test_curl_non_blocking_connect(self):
        for user in self.users:
            with self.subTest(user=user):
                r = self.jailed(user, ["curl", "-sS", "--max-time", "20",
                                       "http://127.0.0.1:%d/x" % self.upstream.port])
                self.assertEqual(r.returncode, 0, r.stderr)
                self.assertEqual(r.stdout, "proxy saw 127.0.0.1:%d" % self.upstream.port)
                # a grandchild (forked by a shell) is under the same filter and broker
                r = self.jailed(user, ["sh", "-c", "curl -sS --max-time 20 http://192.0.2.3:81/"])
                self.assertEqual(r.stdout, "proxy saw 192.0.2.3:81", r.stderr)
        self.assertEqual(self.upstream.hits.snapshot(), [])

    def test_udp_reaches_only_the_dns_stub(self):
        for user in self.users:
            with self.subTest(user=user):
                out = self.agent_json(user, AGENT_UDP, self.sink.port)
                self.assertEqual(out, {
                    "sendto_sink": errno.EACCES, "connect_sink": errno.EACCES,
                    "sendmsg_sink": errno.EACCES,
                    "dns_sendto": "STUB:q1", "dns_connected_v6": "STUB:q2"})
        self.assertEqual(self.sink.received.snapshot(), [])

    def test_names_resolve_through_the_stub_and_connect_through_the_proxy(self):
        for user in self.users:
            with self.subTest(user=user):
                r = self.jailed(user, ["getent", "ahosts", "example.com"], stand_in_dns=False)
                self.assertEqual(r.returncode, 0, r.stderr)
                # the real stub (launcher/net/dns_stub.h): boundary's placeholders
                self.assertEqual(sorted({line.split()[0] for line in r.stdout.splitlines()}),
                                 ["2001:db8::1", "6.6.6.6"])
                r = self.jailed(user, ["getent", "ahostsv4", "example.com"])
                self.assertEqual(r.returncode, 0, r.stderr)
                self.assertEqual(r.stdout.split()[0], "6.6.6.6")  # glibc accepts the stub's answer
                r = self.jailed(user, ["curl", "-sS", "--max-time", "20", "http://example.com/"])
                self.assertEqual(r.stdout, "proxy saw 6.6.6.6:80", r.stderr)
        self.assertEqual(self.sink.received.snapshot(), [])

    def test_kernel_escape_hatches_are_closed(self):
        for user in self.users:
            with self.subTest(user=user):
                out = self.agent_json(user, AGENT_KERNEL)
                # EAFNOSUPPORT where the kernel has no vsock; where it has, the broker refuses.
                self.assertIn(out.pop("vsock_connect"), (errno.EACCES, errno.EAFNOSUPPORT))
                self.assertEqual(out, {
                    "packet": errno.EACCES, "raw_icmp": errno.EACCES, "raw_v6": errno.EACCES,
                    "netlink_netfilter": errno.EACCES, "netlink_route": 0,
                    "io_uring_setup": errno.ENOSYS,
                    "ptrace_launcher": errno.EPERM, "launcher_mem": errno.EACCES,
                    "pidfd_getfd_launcher": errno.EPERM,
                    "CapInh": "0" * 16, "CapPrm": "0" * 16, "CapEff": "0" * 16,
                    "CapBnd": "0" * 16, "CapAmb": "0" * 16, "NoNewPrivs": "1", "Seccomp": "2"})

    def test_sendmsg_is_performed_by_the_launcher(self):
        for user in self.users:
            with self.subTest(user=user):
                out = self.agent_json(user, AGENT_SENDMSG)
                self.assertEqual(out, {"kept_nodelay": True, "kept_nonblocking": True,
                                       "sendmsg_tcp": 11, "reply": "proxy saw 192.0.2.80:80",
                                       "passed_fd": "through SCM_RIGHTS"})
        payloads = self.proxy.payloads.wait_for(len(self.users))
        self.assertEqual(payloads, [b"via sendmsg"] * len(self.users))

    def test_unix_connect_allowed_by_default_refused_with_deny_unix(self):
        path = os.path.join(self.tmp, "service.sock")
        server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        server.bind(path)
        os.chmod(path, 0o777)
        server.listen(8)
        self.addCleanup(os.unlink, path)
        self.addCleanup(server.close)

        def answer():
            while True:
                try:
                    conn, _ = server.accept()
                except OSError:
                    return
                conn.sendall(b"unix ok")
                conn.close()

        threading.Thread(target=answer, daemon=True).start()
        for user in self.users:
            with self.subTest(user=user):
                for flags, expected in (((), "unix ok"), (("--deny-unix",), "errno %d" % errno.EACCES)):
                    # relative path: resolved against the agent's working directory
                    r = self.jailed(user, [AGENT_PYTHON, "-c", AGENT_UNIX, "service.sock"], *flags)
                    self.assertEqual(r.stdout.strip(), expected, r.stderr)

    def test_int80_cannot_bypass_the_filter(self):
        if subprocess.run([self.probe, "int80-available"]).returncode != 0:
            self.skipTest("this kernel has no IA32 emulation (int $0x80 unavailable)")
        bare = subprocess.run([self.probe, "int80", str(self.upstream.port)], capture_output=True,
                              text=True)
        self.assertEqual(bare.stdout.strip(), "socket=0 connect=0")  # the probe works unjailed
        hits_before = len(self.upstream.hits.wait_for(1))
        for user in self.users:
            with self.subTest(user=user):
                r = self.jailed(user, [self.probe, "int80", str(self.upstream.port)])
                # lockdown() kills a process that uses another architecture; the seccompjail
                # filter alone answers EPERM. Either way nothing connects.
                self.assertIn(r.returncode, (SIGSYS_EXIT, 0), r.stderr)
                if r.returncode == 0:
                    self.assertEqual(r.stdout.strip(), "socket=-1 connect=-1")
        self.assertEqual(len(self.upstream.hits.snapshot()), hits_before)

    def test_racing_thread_cannot_redirect_a_connect(self):
        for user in self.users:
            with self.subTest(user=user):
                r = self.jailed(user, [self.probe, "race-tcp", "200", "0", str(self.upstream.port)])
                self.assertEqual(r.stdout.strip(), "proxied=200 direct=0 failed=0", r.stderr)
        self.assertEqual(self.upstream.hits.snapshot(), [])

    def test_racing_thread_cannot_redirect_a_udp_send(self):
        for user in self.users:
            with self.subTest(user=user):
                r = self.jailed(user, [self.probe, "race-udp", "500", str(self.sink.port)])
                self.assertEqual(r.returncode, 0, r.stderr)
                sent, refused = (int(f.split("=")[1]) for f in r.stdout.split())
                self.assertEqual(sent + refused, 500)
        self.assertEqual(self.sink.received.snapshot(), [])

    def test_exit_status_and_setup_failure(self):
        for user in self.users:
            with self.subTest(user=user):
                self.assertEqual(self.jailed(user, ["sh", "-c", "exit 7"]).returncode, 7)
                self.assertEqual(self.jailed(user, ["sh", "-c", "kill -TERM $$"]).returncode,
                                 128 + 15)
                missing = self.jailed(user, ["/nonexistent/agent"])
                self.assertEqual(missing.returncode, SETUP_FAILED)
                self.assertIn("exec /nonexistent/agent", missing.stderr)


if __name__ == "__main__":
    unittest.main()
