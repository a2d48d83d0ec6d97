"""Escape tests for the proxy-side classes of issue 13, run as the agent inside every jail this
host can build (the real jailkeeper-launch in nsjail, landjail and seccompjail; a jail `doctor`
reports unavailable is skipped with its reason):

- paths: dot segments, encoded dots and slashes, `;` parameters, backslashes, double encoding
  never reach a path the rule refused, over plain HTTP and intercepted TLS;
- request smuggling: a body on GET, CL+TE, duplicate or bad framing never desynchronise the
  upstream connection;
- duplicate Host headers are refused, and `port=` limits a rule to its ports;
- internal upstreams (loopback, unspecified, link-local/metadata) are refused unless opted in,
  on every connection;
- name resolution: rewriting /etc/hosts or /etc/resolv.conf inside the jail changes nothing
  (the launcher runs in a private mount namespace whose /etc/hosts and /etc/resolv.conf are
  test files the agent may write);
- the agent's environment has each trust variable once, set by the launcher.

The upstreams are local servers on 127.0.0.1/127.0.0.2 (and a DNS server on 127.0.0.x:53 for
the resolution tests, which need root); the launcher opts in to loopback upstreams with
--allow-internal where a test needs to reach one."""
import http.server
import json
import os
import shutil
import socket
import socketserver
import ssl
import struct
import subprocess
import sys
import tempfile
import threading
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "support"))
from pki import Pki  # noqa: E402
from test_launcher_jails import BINARY, unavailable  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
PROBE = os.path.join(HERE, "launcher_support", "proxy_probe.py")
TIMEOUT_S = 120
RULES = ["domain=localhost path=/api/*", "domain=good.test", "domain=dnsonly.test",
         "domain=short", "domain=big.test", "domain=rebind.test"]
LOOPBACK_ONE = "127.0.0.1/32"


class Recorder(http.server.BaseHTTPRequestHandler):
    """Answers every request with "seen <path>"; reads no request body, like many servers do
    for GET: a body the proxy forwarded would be read as the next request."""
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def _answer(self):
        if self.command in ("POST", "PUT", "PATCH"):  # a correct server reads these bodies
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.server.seen.append((self.command, self.path, self.headers.get_all("Host") or []))
        body = (self.server.name + " seen " + self.path).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_OPTIONS = _answer


class Upstream:
    def __init__(self, name, address="127.0.0.1", port=0, cert=None, key=None):
        self.server = http.server.ThreadingHTTPServer((address, port), Recorder)
        self.server.daemon_threads = True
        self.server.seen = []
        self.server.name = name
        if cert:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(cert, key)
            self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def paths(self):
        return [p for _, p, _ in self.server.seen]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def request(host, target, method="GET", headers=(), body=b"", close=True):
    lines = [f"{method} {target} HTTP/1.1", f"Host: {host}", *[f"{k}: {v}" for k, v in headers]]
    if close:
        lines.append("Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


class JailHelpers:
    """Runs the probe as the agent in the jail named by JAIL."""

    @classmethod
    def setUpClass(cls):
        reason = unavailable(cls.JAIL)
        if reason:
            raise unittest.SkipTest(reason)
        cls.tmp = tempfile.mkdtemp(prefix="jk-proxy-escape-")
        os.makedirs(os.path.join(cls.tmp, "pki"))
        cls.pki = Pki(os.path.join(cls.tmp, "pki"))
        cert, key, _ = cls.pki.issue("upstream", sans=("DNS:localhost", "IP:127.0.0.1"))
        cls.http = Upstream("plain")
        cls.https = Upstream("tls", cert=cert, key=key)

    @classmethod
    def tearDownClass(cls):
        cls.http.close()
        cls.https.close()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def setUp(self):
        self.tmpdir = tempfile.mkdtemp(prefix="tmpdir-", dir=self.tmp)
        self.http.server.seen.clear()
        self.https.server.seen.clear()

    def launcher(self, *agent, allow_internal=(LOOPBACK_ONE,), rules=RULES, env=None, wrap=()):
        argv = [*wrap, BINARY, "--jail-type", self.JAIL]
        for rule in rules:
            argv += ["--allow", rule]
        for prefix in allow_internal:
            argv += ["--allow-internal", prefix]
        environment = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "TMPDIR": self.tmpdir,
                       "SSL_CERT_FILE": self.pki.ca_cert, **(env or {})}
        return subprocess.run(argv + ["--", *agent], capture_output=True, text=True,
                              timeout=TIMEOUT_S, env=environment)

    def send(self, port, raw, tls=False, host="localhost", **kw):
        r = self.launcher(sys.executable, PROBE, "send", host, str(port),
                          "tls" if tls else "plain", raw.hex(), **kw)
        self.assertEqual(r.returncode, 0, r.stderr)
        out = json.loads(r.stdout.strip().splitlines()[-1])
        self.assertNotIn("error", out, r.stderr)
        return out

    def both(self):
        """(port, tls) for the plain and the intercepted TLS upstream."""
        return ((self.http.port, False), (self.https.port, True))


class ProxyEscapes(JailHelpers):
    """The classes that need no privilege beyond the jail's own."""

    # --- paths -------------------------------------------------------------------------------

    def test_allowed_path_reaches_the_upstream_over_plain_and_tls(self):
        for port, tls in self.both():
            with self.subTest(tls=tls):
                out = self.send(port, request(f"localhost:{port}", "/api/ok"), tls)
                self.assertEqual(out["statuses"], [200], out)
        self.assertEqual(self.http.paths + self.https.paths, ["/api/ok", "/api/ok"])

    def test_path_bypasses_never_reach_a_refused_path(self):
        bypasses = ["/api/../secret", "/api/%2e%2e/secret", "/api/%2E%2e/secret",
                    "/api/.%2e/secret", "/api/x/../../secret", "/api/./../secret",
                    "/api%2F..%2Fsecret", "/api/..%2Fsecret", "/api/..;/secret",
                    "/api/%2e%2e;x/secret", "/api/%252e%252e/secret", "/api\\..\\secret",
                    "/api/%5c..%5csecret", "/api/%C0%AE%C0%AE/secret",
                    "/api/%EF%BC%8E%EF%BC%8E/secret", "/api/%00/../secret", "/api//../../secret"]
        for port, tls in self.both():
            for target in bypasses:
                with self.subTest(tls=tls, target=target):
                    out = self.send(port, request(f"localhost:{port}", target), tls)
                    self.assertIn(out["statuses"][:1], ([400], [403]), out)
        seen = self.http.paths + self.https.paths
        self.assertFalse([p for p in seen if "secret" in p], seen)

    def test_forwarded_path_is_the_canonical_one(self):
        out = self.send(self.http.port, request(f"localhost:{self.http.port}",
                                                "/api/x/./y/../%7euser/%2e/a%2fb?q=%2e%2e"))
        self.assertEqual(out["statuses"], [200], out)
        self.assertEqual(self.http.paths, ["/api/x/~user/a%2Fb?q=%2e%2e"])

    # --- request smuggling and framing ------------------------------------------------------

    def test_a_body_on_get_cannot_smuggle_a_second_request(self):
        for port, tls in self.both():
            host = f"localhost:{port}"
            smuggled = request(host, "/secret", close=False)
            for method in ("GET", "get", "HEAD", "DELETE"):
                with self.subTest(tls=tls, method=method):
                    raw = request(host, "/api/x", method=method, close=False,
                                  headers=[("Content-Length", str(len(smuggled)))],
                                  body=smuggled) + request(host, "/api/next")
                    out = self.send(port, raw, tls)
                    self.assertEqual(out["statuses"], [400], out)
            chunk = b"%x\r\n%s\r\n0\r\n\r\n" % (len(smuggled), smuggled)
            with self.subTest(tls=tls, method="GET chunked"):
                raw = request(host, "/api/x", close=False,
                              headers=[("Transfer-Encoding", "chunked")], body=chunk)
                self.assertEqual(self.send(port, raw, tls)["statuses"], [400])
        seen = self.http.paths + self.https.paths
        self.assertFalse([p for p in seen if "secret" in p], seen)

    def test_ambiguous_framing_is_refused(self):
        host = f"localhost:{self.http.port}"
        smuggled = request(host, "/secret", close=False)
        cases = {
            "CL+TE": [("Content-Length", "4"), ("Transfer-Encoding", "chunked")],
            "TE+CL": [("Transfer-Encoding", "chunked"), ("Content-Length", "4")],
            "two CL": [("Content-Length", "4"), ("Content-Length", str(len(smuggled)))],
            "CL list": [("Content-Length", "4, 4")],
            "TE gzip,chunked": [("Transfer-Encoding", "gzip, chunked")],
            "TE xchunked": [("Transfer-Encoding", "xchunked")],
            "TE twice": [("Transfer-Encoding", "chunked"), ("Transfer-Encoding", "chunked")],
            "obs-fold": [("X-A", "1\r\n Transfer-Encoding: chunked"), ("Content-Length", "4")],
            "space before colon": [("Transfer-Encoding ", "chunked"), ("Content-Length", "4")],
        }
        for name, headers in cases.items():
            with self.subTest(case=name):
                raw = request(host, "/api/x", method="POST", close=False, headers=headers,
                              body=b"0\r\n\r\n" + smuggled)
                out = self.send(self.http.port, raw)
                self.assertEqual(out["statuses"], [400], out)
        bare_lf = f"POST /api/x HTTP/1.1\nHost: {host}\nContent-Length: 4\n\n".encode()
        self.assertEqual(self.send(self.http.port, bare_lf + b"abcd" + smuggled)["statuses"], [400])
        self.assertFalse([p for p in self.http.paths if "secret" in p], self.http.paths)

    def test_headers_that_change_the_target_or_method_upstream(self):
        host = f"localhost:{self.http.port}"
        rules = ["method=GET domain=localhost path=/api/*"]
        for header in ("X-Original-URL", "X-Rewrite-URL", "x-original-url"):
            with self.subTest(header=header):
                raw = request(host, "/api/x", headers=[(header, "/secret")])
                self.assertEqual(self.send(self.http.port, raw, rules=rules)["statuses"], [400])
        for header in ("X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override"):
            with self.subTest(header=header):
                raw = request(host, "/api/x", headers=[(header, "DELETE")])
                self.assertEqual(self.send(self.http.port, raw, rules=rules)["statuses"], [403])
        self.assertEqual(self.http.paths, [])

    def test_post_bodies_still_flow_and_keep_alive_works(self):
        host = f"localhost:{self.http.port}"
        raw = (request(host, "/api/a", method="POST", close=False, body=b"x" * 10,
                       headers=[("Content-Length", "10")]) + request(host, "/api/b"))
        out = self.send(self.http.port, raw)
        self.assertEqual(out["statuses"], [200, 200], out)
        self.assertEqual(self.http.paths, ["/api/a", "/api/b"])

    # --- Host and ports ---------------------------------------------------------------------

    def test_duplicate_host_headers_are_refused(self):
        for port, tls in self.both():
            for second in ("evil.test", f"localhost:{port}", "localhost"):
                with self.subTest(tls=tls, second=second):
                    raw = request(f"localhost:{port}", "/api/x", headers=[("Host", second)])
                    self.assertEqual(self.send(port, raw, tls)["statuses"], [400])
        self.assertEqual(self.http.paths + self.https.paths, [])

    def test_a_port_rule_limits_the_ports(self):
        rules = [f"domain=localhost port={self.https.port}"]
        ok = self.send(self.https.port, request(f"localhost:{self.https.port}", "/any"), True,
                       rules=rules)
        self.assertEqual(ok["statuses"], [200], ok)
        other = self.send(self.http.port, request(f"localhost:{self.http.port}", "/any"),
                          rules=rules)
        self.assertEqual(other["statuses"], [403], other)
        self.assertEqual(self.http.paths, [])

    # --- internal upstreams -----------------------------------------------------------------

    def test_internal_upstreams_are_refused_by_default(self):
        for host in (f"localhost:{self.http.port}", f"127.0.0.1:{self.http.port}",
                     f"[::ffff:127.0.0.1]:{self.http.port}", f"127.0.0.2:{self.http.port}",
                     f"0.0.0.0:{self.http.port}", f"169.254.169.254:{self.http.port}",
                     f"[::1]:{self.http.port}", f"[fd00:ec2::254]:{self.http.port}"):
            with self.subTest(host=host):
                out = self.send(self.http.port, request(host, "/api/x"), allow_internal=(),
                                rules=["domain=*"])
                self.assertEqual(out["statuses"], [502], out)
                self.assertIn("internal upstreams are refused", out["body"])
        self.assertEqual(self.http.paths, [])

    def test_the_pods_own_address_is_refused(self):
        # The launcher runs in a fresh network namespace whose interface also holds 192.0.2.1
        # (the pod's address here); nothing listens on it, so a proxy that connected would
        # answer "Connection refused" instead of refusing the address.
        if os.geteuid() != 0 or not shutil.which("unshare") or not shutil.which("ip"):
            self.skipTest("needs root, unshare and ip for a network namespace")
        setup = "ip link set lo up && ip addr add 192.0.2.1/32 dev lo && exec \"$@\""
        wrap = ["unshare", "--net", "sh", "-c", setup, "sh"]
        raw = request("192.0.2.1:8099", "/api/x")
        out = self.send(8099, raw, host="192.0.2.1", wrap=wrap, rules=["domain=*"],
                        allow_internal=())
        self.assertEqual(out["statuses"], [502], out)
        self.assertIn("192.0.2.1 is an address of this pod", out["body"])
        opted = self.send(8099, raw, host="192.0.2.1", wrap=wrap, rules=["domain=*"],
                          allow_internal=("192.0.2.1/32",))
        self.assertEqual(opted["statuses"], [502], opted)
        self.assertIn("Connection refused", opted["body"])

    def test_the_opt_in_covers_only_its_prefix(self):
        out = self.send(self.http.port, request(f"127.0.0.1:{self.http.port}", "/in"),
                        allow_internal=("127.0.0.1/32",), rules=["domain=*"])
        self.assertEqual(out["statuses"], [200], out)
        out = self.send(self.http.port, request(f"127.0.0.2:{self.http.port}", "/out"),
                        allow_internal=("127.0.0.1/32",), rules=["domain=*"])
        self.assertEqual(out["statuses"], [502], out)
        self.assertIn("127.0.0.2 is loopback: internal upstreams are refused", out["body"])
        self.assertEqual(self.http.paths, ["/in"])

    # --- the agent's environment ------------------------------------------------------------

    def test_trust_variables_replace_never_duplicate(self):
        inherited = {"SSL_CERT_FILE": "/corp/ca.pem", "npm_config_cafile": "/corp/ca.pem",
                     "NODE_EXTRA_CA_CERTS": "/corp/extra.pem", "REQUESTS_CA_BUNDLE": "/corp/x"}
        r = self.launcher(sys.executable, PROBE, "env", env=inherited)
        self.assertEqual(r.returncode, 0, r.stderr)
        entries = json.loads(r.stdout)
        names = [e.split("=", 1)[0] for e in entries]
        for name in ("SSL_CERT_FILE", "SSL_CERT_DIR", "NODE_EXTRA_CA_CERTS", "REQUESTS_CA_BUNDLE",
                     "NPM_CONFIG_CAFILE", "CURL_CA_BUNDLE", "PIP_CERT", "CARGO_HTTP_CAINFO"):
            self.assertEqual([n.lower() for n in names].count(name.lower()), 1, (name, names))
        values = dict(e.split("=", 1) for e in entries)
        self.assertNotIn("/corp/", values["SSL_CERT_FILE"])
        self.assertEqual(values["NPM_CONFIG_CAFILE"], values["SSL_CERT_FILE"])


def dns_answer(query, address):
    """A reply to `query` with one A record (or none when address is None)."""
    qid, _, _, _, _, _ = struct.unpack(">HHHHHH", query[:12])
    end = 12
    while query[end] != 0:
        end += query[end] + 1
    question = query[12:end + 5]
    qtype = struct.unpack(">H", query[end + 1:end + 3])[0]
    records = b""
    if address and qtype == 1:
        records = b"\xc0\x0c" + struct.pack(">HHIH", 1, 1, 0, 4) + socket.inet_aton(address)
    count = 1 if records else 0
    return struct.pack(">HHHHHH", qid, 0x8180, 1, count, 0, 0) + question + records


def qname(query):
    labels, at = [], 12
    while query[at] != 0:
        labels.append(query[at + 1:at + 1 + query[at]].decode())
        at += query[at] + 1
    return ".".join(labels).lower()


class DnsServer:
    """UDP + TCP on ADDRESS:53. `answers` maps names to an address or to a list used in turn;
    names listed in `truncate` get TC over UDP (the full answer only over TCP)."""

    def __init__(self, address, answers, truncate=()):
        self.answers, self.truncate, self.asked = dict(answers), set(truncate), []
        self.udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.udp.bind((address, 53))
        self.tcp = socket.create_server((address, 53))
        threading.Thread(target=self.serve_udp, daemon=True).start()
        threading.Thread(target=self.serve_tcp, daemon=True).start()

    def answer_for(self, query):
        """The address for an A query (lists advance once per A query), None otherwise."""
        if struct.unpack(">H", query[-4:-2])[0] != 1:
            return None
        value = self.answers.get(qname(query))
        if isinstance(value, list):
            return value.pop(0) if len(value) > 1 else value[0]
        return value

    def serve_udp(self):
        while True:
            try:
                query, peer = self.udp.recvfrom(512)
            except OSError:
                return
            if not query:  # shut down
                return
            name = qname(query)
            self.asked.append(("udp", name))
            if name in self.truncate:
                reply = bytearray(dns_answer(query, None))
                reply[2] |= 0x02  # TC
                self.udp.sendto(bytes(reply), peer)
                continue
            self.udp.sendto(dns_answer(query, self.answer_for(query)), peer)

    def serve_tcp(self):
        while True:
            try:
                conn, _ = self.tcp.accept()
            except OSError:
                return
            with conn:
                length = struct.unpack(">H", conn.recv(2))[0]
                query = b""
                while len(query) < length:
                    query += conn.recv(length - len(query))
                self.asked.append(("tcp", qname(query)))
                reply = dns_answer(query, self.answer_for(query))
                conn.sendall(struct.pack(">H", len(reply)) + reply)

    def close(self):
        for s in (self.udp, self.tcp):
            try:
                s.shutdown(socket.SHUT_RDWR)  # wakes the thread blocked in accept/recvfrom
            except OSError:
                pass
            s.close()


# The launcher (and so the agent) sees these instead of the host's files.
BIND_ETC = ('mount --bind "$JK_HOSTS" /etc/hosts && mount --bind "$JK_RESOLV" /etc/resolv.conf '
            '&& exec "$@"')


class ResolutionContract(JailHelpers):
    """The agent rewrites the resolver files; nothing changes. Needs root (a private mount
    namespace with test files over /etc/hosts and /etc/resolv.conf, DNS servers on port 53)."""

    def setUp(self):
        super().setUp()
        if os.geteuid() != 0 or shutil.which("unshare") is None:
            self.skipTest("needs root and unshare for a private mount namespace and port 53")
        self.good = self.http  # 127.0.0.1
        self.evil = Upstream("evil", address="127.0.0.2", port=self.http.port)
        self.addCleanup(self.evil.close)
        self.dns = DnsServer("127.0.0.153", {"dnsonly.test": "127.0.0.1",
                                            "short.svc.test": "127.0.0.1",
                                            "big.test": "127.0.0.1"}, truncate=("big.test",))
        self.addCleanup(self.dns.close)
        self.rogue_dns = DnsServer("127.0.0.154", {n: "127.0.0.2" for n in
                                                  ("dnsonly.test", "short.svc.test", "big.test",
                                                   "good.test")})
        self.addCleanup(self.rogue_dns.close)
        self.hosts = os.path.join(self.tmpdir, "hosts")
        self.resolv = os.path.join(self.tmpdir, "resolv.conf")
        os.chmod(self.tmpdir, 0o755)

    def jailed_shell(self, script):
        # The files as the platform wrote them, before each launch.
        with open(self.hosts, "w") as f:
            f.write("127.0.0.1 localhost\n127.0.0.1 good.test\n")
        with open(self.resolv, "w") as f:
            f.write("search svc.test\nnameserver 127.0.0.153\noptions ndots:1 timeout:2\n")
        for path in (self.hosts, self.resolv):
            os.chmod(path, 0o666)  # any agent may write them, as a root agent could
        wrap = ["unshare", "--mount", "--propagation", "private", "sh", "-c", BIND_ETC, "sh"]
        return self.launcher("/bin/sh", "-c", script, wrap=wrap, env={
            "JK_HOSTS": self.hosts, "JK_RESOLV": self.resolv},
            allow_internal=("127.0.0.0/8",))

    def rewrite_then_get(self, name):
        port = self.http.port
        raw = request(f"{name}:{port}", "/api/who").hex()
        script = (f'{sys.executable} {PROBE} write /etc/hosts "127.0.0.2 {name} good.test\n" && '
                  f'{sys.executable} {PROBE} write /etc/resolv.conf "nameserver 127.0.0.154\n" && '
                  f'{sys.executable} {PROBE} send {name} {port} plain {raw}')
        r = self.jailed_shell(script)
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = [json.loads(line) for line in r.stdout.strip().splitlines()]
        self.assertEqual([line.get("written") for line in lines[:2]],
                         ["/etc/hosts", "/etc/resolv.conf"], "the agent could write both")
        return lines[2]

    def test_hosts_and_resolv_conf_rewritten_by_the_agent_change_nothing(self):
        for name in ("good.test", "dnsonly.test", "short", "big.test"):
            with self.subTest(name=name):
                out = self.rewrite_then_get(name)
                self.assertEqual(out.get("statuses"), [200], out)
                self.assertIn("plain seen /api/who", out["body"])
        self.assertEqual(self.evil.paths, [])
        self.assertEqual(self.rogue_dns.asked, [])
        self.assertIn(("tcp", "big.test"), self.dns.asked)  # truncated over UDP, asked over TCP
        self.assertIn(("udp", "short.svc.test"), self.dns.asked)  # the search list

    def test_every_connection_checks_the_address_it_resolves_to(self):
        # rebind.test answers 127.0.0.1 (opted in here), then 169.254.169.254: refused.
        self.dns.answers["rebind.test"] = ["127.0.0.1", "169.254.169.254"]
        port = self.http.port
        first = request(f"rebind.test:{port}", "/api/one").hex()
        second = request(f"rebind.test:{port}", "/api/two").hex()
        script = (f"{sys.executable} {PROBE} send rebind.test {port} plain {first} && "
                  f"{sys.executable} {PROBE} send rebind.test {port} plain {second}")
        r = self.jailed_shell(script)
        self.assertEqual(r.returncode, 0, r.stderr)
        one, two = (json.loads(line) for line in r.stdout.strip().splitlines())
        self.assertEqual(one["statuses"], [200], one)
        self.assertEqual(two["statuses"], [502], two)
        self.assertIn("169.254.169.254 is link-local (instance metadata)", two["body"])
        self.assertEqual(self.http.paths, ["/api/one"])


class Nsjail(ProxyEscapes, unittest.TestCase):
    JAIL = "nsjail"


class Landjail(ProxyEscapes, unittest.TestCase):
    JAIL = "landjail"


class Seccompjail(ProxyEscapes, unittest.TestCase):
    JAIL = "seccompjail"


class NsjailResolution(ResolutionContract, unittest.TestCase):
    JAIL = "nsjail"


class LandjailResolution(ResolutionContract, unittest.TestCase):
    JAIL = "landjail"


class SeccompjailResolution(ResolutionContract, unittest.TestCase):
    JAIL = "seccompjail"


if __name__ == "__main__":
    unittest.main()
