"""The proxy (launcher/proxy) against local HTTP and HTTPS upstreams, through jk_proxy_harness.

Each request is judged on its own by method, host and path: plain origin-form, absolute-form,
CONNECT tunnels (plain and TLS inside) and transparent TLS straight to the proxy port."""
import hashlib
import json
import os
import socket
import ssl
import struct
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "support"))
from pki import Pki  # noqa: E402
from proxy_support import (ProxyHarness, Upstream, blob, read_chunk,  # noqa: E402
                           read_head, read_response, request)

RULES = ["method=GET domain=127.0.0.1 path=/allowed/*",
         "method=GET,POST,HEAD domain=localhost path=/allowed/*,/sse,/ws,/unframed",
         "domain=127.0.0.1 path=/sse,/ws,/unframed,/reuse/*",
         "domain=*.invalid"]


class ProxyTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.pki = Pki()
        cert, key, _ = cls.pki.issue("upstream", sans=("DNS:localhost", "IP:127.0.0.1"))
        cls.http = Upstream()
        cls.https = Upstream(cert, key)
        other = Pki()
        bad_cert, bad_key, _ = other.issue("untrusted")
        cls.untrusted = Upstream(bad_cert, bad_key)
        cls.proxy = ProxyHarness(RULES, upstream_ca=cls.pki.ca_cert)

    @classmethod
    def tearDownClass(cls):
        cls.proxy.close()
        for upstream in (cls.http, cls.https, cls.untrusted):
            upstream.close()

    def setUp(self):
        self.sock = self.proxy.connect()
        self.file = self.sock.makefile("rb")

    def tearDown(self):
        self.file.close()
        self.sock.close()

    def get(self, method, target, host=None, **kw):
        request(self.sock, method, target, host, **kw)
        return read_response(self.file, head_request=(method == "HEAD"))

    def tunnel(self, host, port):
        request(self.sock, "CONNECT", f"{host}:{port}", f"{host}:{port}")
        status, _ = read_head(self.file)
        self.assertEqual(status, 200)

    def wrap_tls(self, server_name):
        self.file.close()
        ctx = self.proxy.client_context()
        self.sock = ctx.wrap_socket(self.sock, server_hostname=server_name)
        self.file = self.sock.makefile("rb")

    # --- plain HTTP -------------------------------------------------------------------------

    def test_origin_form_allowed_and_forwarded(self):
        resp = self.get("GET", "/allowed/a%2Fb?q=1", f"127.0.0.1:{self.http.port}")
        self.assertEqual(resp.status, 200)
        echo = resp.json()
        self.assertEqual(echo["path"], "/allowed/a%2Fb?q=1")  # percent-encoding preserved
        self.assertEqual(echo["method"], "GET")

    def test_origin_form_denied_by_method_path_and_host(self):
        for method, target, host in [
                ("POST", "/allowed/x", f"127.0.0.1:{self.http.port}"),
                ("GET", "/other", f"127.0.0.1:{self.http.port}"),
                ("GET", "/allowed", f"127.0.0.1:{self.http.port}"),
                ("GET", "/allowed/x", f"127.0.0.2:{self.http.port}")]:
            with self.subTest(method=method, target=target, host=host):
                resp = self.get(method, target, host, body=b"xy" if method == "POST" else b"")
                self.assertEqual(resp.status, 403)
                if method == "POST":  # body not read: the proxy closes
                    self.tearDown()
                    self.setUp()

    def test_403_body_is_boundary_compatible(self):
        resp = self.get("GET", "/secret/path?x=1", f"127.0.0.1:{self.http.port}")
        self.assertEqual(resp.status, 403)
        self.assertTrue(resp.header("Content-Type").startswith("text/plain"))
        text = resp.body.decode()
        self.assertIn("Request Blocked by Boundary", text)
        self.assertIn("GET /secret/path?x=1", text)
        self.assertIn("127.0.0.1", text)
        self.assertIn('--allow "method=GET domain=127.0.0.1 path=/secret/path"', text)

    def test_absolute_form(self):
        resp = self.get("GET", f"http://127.0.0.1:{self.http.port}/allowed/abs", "ignored.test")
        self.assertEqual(resp.status, 200)
        echo = resp.json()
        self.assertEqual(echo["path"], "/allowed/abs")
        self.assertEqual(echo["headers"]["Host"], f"127.0.0.1:{self.http.port}")
        denied = self.get("GET", f"http://127.0.0.1:{self.http.port}/nope", None)
        self.assertEqual(denied.status, 403)

    def test_hop_by_hop_headers_are_not_forwarded(self):
        resp = self.get("GET", "/allowed/h", f"127.0.0.1:{self.http.port}",
                        headers=[("Connection", "keep-alive, X-Private"), ("X-Private", "1"),
                                 ("Proxy-Authorization", "Basic x"), ("Keep-Alive", "300"),
                                 ("X-End-To-End", "kept")])
        sent = {k.lower() for k in resp.json()["headers"]}
        for hop in ("x-private", "proxy-authorization", "keep-alive"):
            self.assertNotIn(hop, sent)
        self.assertIn("x-end-to-end", sent)
        self.assertIsNone(resp.header("X-Hop"))  # listed in the upstream's Connection

    def test_keep_alive_reuses_client_and_upstream_connections(self):
        first = self.get("GET", "/reuse/1", f"127.0.0.1:{self.http.port}")
        second = self.get("GET", "/reuse/2", f"127.0.0.1:{self.http.port}")
        self.assertEqual(first.status, 200)
        self.assertEqual(second.status, 200)
        self.assertEqual(first.json()["peer"], second.json()["peer"])

    def test_request_body_is_forwarded(self):
        body = os.urandom(300_000)
        resp = self.get("POST", "/reuse/body", f"127.0.0.1:{self.http.port}", body=body)
        self.assertEqual(resp.json()["body_len"], len(body))

    def test_chunked_request_body_is_forwarded_whole(self):
        pieces = [os.urandom(n) for n in (1, 70_000, 5, 200_000)]
        chunked = b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in pieces) + b"0\r\n\r\n"
        self.sock.sendall(f"POST /reuse/chunked HTTP/1.1\r\nHost: 127.0.0.1:{self.http.port}\r\n"
                          "Transfer-Encoding: chunked\r\n\r\n".encode() + chunked)
        resp = read_response(self.file)
        self.assertEqual(resp.status, 200)
        body = b"".join(pieces)
        self.assertEqual(resp.json()["body_len"], len(body))
        self.assertEqual(resp.json()["body_sha256"], hashlib.sha256(body).hexdigest())

    def test_pipelined_requests_are_answered_in_order(self):
        host = f"127.0.0.1:{self.http.port}"
        self.sock.sendall(f"GET /reuse/one HTTP/1.1\r\nHost: {host}\r\n\r\n"
                          f"GET /denied HTTP/1.1\r\nHost: {host}\r\n\r\n"
                          f"GET /reuse/three HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
        first, second, third = (read_response(self.file) for _ in range(3))
        self.assertEqual((first.status, first.json()["path"]), (200, "/reuse/one"))
        self.assertEqual(second.status, 403)
        self.assertEqual((third.status, third.json()["path"]), (200, "/reuse/three"))

    def test_http10_client_gets_a_complete_response_and_a_close(self):
        self.sock.sendall(f"GET /reuse/old HTTP/1.0\r\nHost: 127.0.0.1:{self.http.port}\r\n\r\n"
                          .encode())
        raw = self.file.read()  # until the proxy closes: HTTP/1.0 without keep-alive
        head, _, body = raw.partition(b"\r\n\r\n")
        self.assertTrue(head.startswith(b"HTTP/1.1 200"), head)
        self.assertNotIn(b"chunked", head.lower())  # an HTTP/1.0 client cannot read chunks
        self.assertEqual(json.loads(body)["path"], "/reuse/old")

    def test_expect_100_continue_gets_continue_then_the_response(self):
        body = b"x" * 5000
        self.sock.sendall(f"POST /reuse/expect HTTP/1.1\r\nHost: 127.0.0.1:{self.http.port}\r\n"
                          f"Expect: 100-continue\r\nContent-Length: {len(body)}\r\n\r\n".encode())
        status, _ = read_head(self.file)
        self.assertEqual(status, 100)
        self.sock.sendall(body)
        resp = read_response(self.file)
        self.assertEqual((resp.status, resp.json()["body_len"]), (200, len(body)))

    def test_server_sent_events_arrive_before_the_response_ends(self):
        request(self.sock, "GET", "/sse", f"127.0.0.1:{self.http.port}")
        status, headers = read_head(self.file)
        self.assertEqual(status, 200)
        self.assertEqual(read_chunk(self.file), b"data: one\n\n")  # upstream still holds "two"
        self.http.server.sse_release.set()
        rest = b""
        while (data := read_chunk(self.file)):
            rest += data
        self.assertEqual(rest, b"data: two\n\n")
        self.http.server.sse_release.clear()

    def test_unframed_upstream_response_is_rechunked(self):
        resp = self.get("GET", "/unframed", f"127.0.0.1:{self.http.port}")
        self.assertEqual(resp.body, b"until-close")
        self.assertEqual(resp.header("Transfer-Encoding"), "chunked")

    def test_websocket_upgrade_is_tunnelled(self):
        request(self.sock, "GET", "/ws", f"127.0.0.1:{self.http.port}",
                headers=[("Connection", "Upgrade"), ("Upgrade", "websocket"),
                         ("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="),
                         ("Sec-WebSocket-Version", "13")])
        status, headers = read_head(self.file)
        self.assertEqual(status, 101)
        self.sock.sendall(b"hello frames")
        self.assertEqual(self.file.read(12), b"HELLO FRAMES")

    # --- upstream failures ------------------------------------------------------------------

    def test_502_when_the_upstream_refuses(self):
        closed = socket.socket()
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
        closed.close()
        resp = self.get("GET", "/allowed/x", f"127.0.0.1:{port}")
        self.assertEqual(resp.status, 502)
        self.assertIn(b"connect 127.0.0.1:", resp.body)

    def test_502_when_the_name_does_not_resolve(self):
        resp = self.get("GET", "/x", "no-such-host.invalid")
        self.assertIn(resp.status, (502, 504))  # 504 only if the resolver itself times out
        self.assertIn(b"resolve no-such-host.invalid", resp.body)

    def test_502_on_an_untrusted_upstream_certificate(self):
        resp = self.get("GET", f"https://localhost:{self.untrusted.port}/allowed/x", None)
        self.assertEqual(resp.status, 502)
        self.assertIn(b"certificate", resp.body)

    def test_request_to_the_proxy_itself_is_refused(self):
        resp = self.get("GET", "/reuse/loop", f"127.0.0.1:{self.proxy.port}")
        self.assertEqual(resp.status, 502)
        self.assertIn(b"loop", resp.body)

    # --- CONNECT and TLS --------------------------------------------------------------------

    def test_connect_then_tls_each_request_judged(self):
        self.tunnel("localhost", self.https.port)
        self.wrap_tls("localhost")
        ok = self.get("GET", "/allowed/in-tunnel", f"localhost:{self.https.port}")
        self.assertEqual(ok.status, 200)
        self.assertEqual(ok.json()["path"], "/allowed/in-tunnel")
        denied = self.get("DELETE", "/allowed/in-tunnel", f"localhost:{self.https.port}")
        self.assertEqual(denied.status, 403)
        again = self.get("POST", "/allowed/after", f"localhost:{self.https.port}", body=b"x")
        self.assertEqual(again.status, 200)

    def test_connect_then_plain_http(self):
        self.tunnel("127.0.0.1", self.http.port)
        self.assertEqual(self.get("GET", "/allowed/p", f"127.0.0.1:{self.http.port}").status, 200)
        self.assertEqual(self.get("GET", "/denied", f"127.0.0.1:{self.http.port}").status, 403)

    def test_transparent_tls_with_sni(self):
        self.wrap_tls("localhost")
        cert = self.sock.getpeercert()
        self.assertIn(("DNS", "localhost"), cert["subjectAltName"])
        self.assertEqual(self.sock.selected_alpn_protocol(), None)
        ok = self.get("GET", "/allowed/t", f"localhost:{self.https.port}")
        self.assertEqual(ok.status, 200)
        self.assertEqual(self.get("GET", "/x", f"localhost:{self.https.port}").status, 403)

    def test_intercepted_tls_keeps_large_bodies_intact_both_ways(self):
        # Many TLS records each way, decrypted and re-encrypted on both sides of the proxy.
        self.wrap_tls("localhost")
        upload = os.urandom(6 << 20)
        sent = self.get("POST", "/allowed/upload", f"localhost:{self.https.port}", body=upload)
        self.assertEqual(sent.status, 200)
        self.assertEqual(sent.json()["body_len"], len(upload))
        self.assertEqual(sent.json()["body_sha256"], hashlib.sha256(upload).hexdigest())
        got = self.get("GET", "/allowed/blob/6", f"localhost:{self.https.port}")
        self.assertEqual(got.status, 200)
        self.assertEqual(len(got.body), 6 << 20)
        self.assertEqual(hashlib.sha256(got.body).digest(), hashlib.sha256(blob(6)).digest())

    def test_websocket_through_intercepted_tls(self):
        # Both directions of the proxy's TLS streams in use at once (the tunnel pumps).
        self.tunnel("localhost", self.https.port)
        self.wrap_tls("localhost")
        request(self.sock, "GET", "/ws", f"localhost:{self.https.port}",
                headers=[("Connection", "Upgrade"), ("Upgrade", "websocket"),
                         ("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="),
                         ("Sec-WebSocket-Version", "13")])
        status, _ = read_head(self.file)
        self.assertEqual(status, 101)
        for frame in (b"first frame", b"second" * 1000):
            self.sock.sendall(frame)
            self.assertEqual(self.file.read(len(frame)), frame.upper())

    def test_client_dropping_tls_mid_download_does_not_hurt(self):
        self.wrap_tls("localhost")
        request(self.sock, "GET", "/allowed/blob/8", f"localhost:{self.https.port}")
        status, _ = read_head(self.file)
        self.assertEqual(status, 200)
        self.assertTrue(self.file.read(1 << 16))
        self.file.close()
        self.sock.close()  # no close_notify, most of the body unread
        self.setUp()
        self.wrap_tls("localhost")
        again = self.get("GET", "/allowed/after-drop", f"localhost:{self.https.port}")
        self.assertEqual(again.status, 200)

    def test_tls_without_sni_or_original_destination_is_not_intercepted(self):
        ctx = ssl.create_default_context(cafile=self.proxy.ca)
        ctx.check_hostname = False
        with self.assertRaises(ssl.SSLError):  # no name to issue a certificate for
            ctx.wrap_socket(self.sock, server_hostname=None)

    def test_head_request_has_no_body(self):
        self.tunnel("localhost", self.https.port)
        self.wrap_tls("localhost")
        resp = self.get("HEAD", "/allowed/h", f"localhost:{self.https.port}")
        self.assertEqual(resp.status, 200)
        after = self.get("GET", "/allowed/h2", f"localhost:{self.https.port}")
        self.assertEqual(after.status, 200)

    # --- misbehaving clients ----------------------------------------------------------------

    def test_garbage_and_mid_request_disconnects_do_not_hurt(self):
        self.sock.sendall(b"\x00\x01\x02garbage\r\n\r\n")
        self.assertEqual(self.file.read(), b"")
        for junk in (b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\nabc",
                     b"GET /allowed/x HT", b"NOT A REQUEST\r\n\r\n"):
            s = self.proxy.connect()
            s.sendall(junk)
            s.close()
        self.tearDown()
        self.setUp()
        resp = self.get("GET", "/allowed/still", f"127.0.0.1:{self.http.port}")
        self.assertEqual(resp.status, 200)

    def test_oversized_request_head_gets_431(self):
        request(self.sock, "GET", "/allowed/x", f"127.0.0.1:{self.http.port}",
                headers=[("X-Big", "a" * (70 * 1024))])
        status, _ = read_head(self.file)
        self.assertEqual(status, 431)

    def test_bad_request_gets_400(self):
        self.sock.sendall(b"GET / HTTP/1.1\r\nBad Header\r\n\r\n")
        status, _ = read_head(self.file)
        self.assertEqual(status, 400)

    # --- audit ------------------------------------------------------------------------------

    def test_audit_lines(self):
        self.get("GET", "/allowed/audited", f"127.0.0.1:{self.http.port}")
        self.get("GET", "/denied-audited", f"127.0.0.1:{self.http.port}")
        lines = self.proxy.audit_lines()
        allowed = [l for l in lines if l.get("url", "").endswith("/allowed/audited")]
        denied = [l for l in lines if l.get("url", "").endswith("/denied-audited")]
        self.assertEqual(len(allowed), 1)
        self.assertEqual(len(denied), 1)
        a, d = allowed[0], denied[0]
        self.assertEqual(a["decision"], "allow")
        self.assertEqual(a["rule"], RULES[0])
        self.assertEqual(a["upstream_status"], 200)
        self.assertEqual(a["host"], "127.0.0.1")
        self.assertEqual(a["method"], "GET")
        self.assertGreater(a["bytes_down"], 0)
        self.assertEqual(a["session"], "test")
        self.assertEqual(a["jail"], "test")
        self.assertRegex(a["time"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
        self.assertEqual(d["decision"], "deny")
        self.assertNotIn("rule", d)
        self.assertGreater(d["seq"], a["seq"])


class ProxyStreamingTest(unittest.TestCase):
    # 256 MiB by default (16x the allowed growth; 1 GiB takes a minute on a busy 2-core box).
    GIB = int(os.environ.get("JK_PROXY_BIG_MIB", "256"))

    def test_a_large_download_does_not_grow_memory(self):
        upstream = Upstream()
        proxy = ProxyHarness(["domain=127.0.0.1"])
        try:
            warm = proxy.connect()
            wf = warm.makefile("rb")
            request(warm, "GET", "/big/1", f"127.0.0.1:{upstream.port}")
            self.assertEqual(len(read_response(wf).body), 1 << 20)
            before = proxy.peak_rss_kib()
            request(warm, "GET", f"/big/{self.GIB}", f"127.0.0.1:{upstream.port}")
            status, headers = read_head(wf)
            self.assertEqual(status, 200)
            left = self.GIB << 20
            while left:
                data = wf.read(min(left, 1 << 20))
                self.assertTrue(data)
                left -= len(data)
            growth_mib = (proxy.peak_rss_kib() - before) / 1024
            self.assertLess(growth_mib, 16, f"peak RSS grew by {growth_mib:.1f} MiB")
            wf.close()
            warm.close()
        finally:
            proxy.close()
            upstream.close()


def wait_for_audit(proxy, matches):
    """The first audit line `matches` accepts (the proxy writes it when the connection ends)."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        for record in proxy.audit_lines():
            if matches(record):
                return record
        time.sleep(0.02)
    raise AssertionError(f"no such audit line in {proxy.audit_lines()}")


def dns_query(qid, name=b"\x07example\x03com\x00"):
    """An A query (RD) for `name`, with its DNS-over-TCP length prefix."""
    message = struct.pack(">HHHHHH", qid, 0x0100, 1, 0, 0, 0) + name + b"\x00\x01\x00\x01"
    return struct.pack(">H", len(message)) + message


def read_frame(f):
    length = struct.unpack(">H", f.read(2))[0]
    return f.read(length)


class DnsOverTcpTest(unittest.TestCase):
    """A resolver retrying over TCP in a transparent jail reaches the proxy on port 53."""

    def tunnel_to_port_53(self, proxy):
        sock = proxy.connect()
        self.addCleanup(sock.close)
        f = sock.makefile("rb")
        self.addCleanup(f.close)
        request(sock, "CONNECT", "10.96.0.10:53", "10.96.0.10:53")
        self.assertEqual(read_head(f)[0], 200)
        return sock, f

    def test_placeholder_answers_every_query_on_the_connection(self):
        proxy = ProxyHarness(["domain=*"], extra=["--dns-over-tcp", "placeholder"])
        self.addCleanup(proxy.close)
        sock, f = self.tunnel_to_port_53(proxy)
        sock.sendall(dns_query(0x1111) + dns_query(0x2222))  # two frames in one write
        for qid in (0x1111, 0x2222):
            answer = read_frame(f)
            self.assertEqual(struct.unpack(">H", answer[:2])[0], qid)
            self.assertEqual(answer[6:8], b"\x00\x01")  # one answer record
            self.assertTrue(answer.endswith(bytes([6, 6, 6, 6])), answer)
        f.close()
        sock.close()  # the connection's audit line is written when it ends
        line = wait_for_audit(proxy, lambda r: r.get("method") == "DNS")
        self.assertEqual(line["decision"], "allow")
        self.assertEqual(line["host"], "10.96.0.10")
        self.assertIn("2 queries answered with placeholders", line["reason"])

    def test_forward_mode_relays_to_the_resolver(self):
        resolver = socket.create_server(("127.0.0.1", 0))
        self.addCleanup(resolver.close)
        canned = b"\x12\x34\x81\x80real answer"
        got = []

        def serve():
            conn, _ = resolver.accept()
            with conn, conn.makefile("rb") as rf:
                got.append(read_frame(rf))
                conn.sendall(struct.pack(">H", len(canned)) + canned)
        threading.Thread(target=serve, daemon=True).start()
        port = resolver.getsockname()[1]
        proxy = ProxyHarness(["domain=*"], extra=["--dns-over-tcp", f"127.0.0.1:{port}"])
        self.addCleanup(proxy.close)
        sock, f = self.tunnel_to_port_53(proxy)
        sock.sendall(dns_query(0x1234))
        self.assertEqual(read_frame(f), canned)
        self.assertEqual(got, [dns_query(0x1234)[2:]])

    def test_without_the_option_port_53_is_not_special(self):
        proxy = ProxyHarness(["domain=*"])
        self.addCleanup(proxy.close)
        sock, f = self.tunnel_to_port_53(proxy)
        sock.sendall(dns_query(0x1111))
        self.assertEqual(f.read(), b"")  # closed: not TLS and not HTTP


class ProxyLimitsTest(unittest.TestCase):
    def setUp(self):
        self.upstream = Upstream()
        self.proxy = ProxyHarness(["domain=127.0.0.1"],
                                  extra=["--header-timeout-ms", "300", "--max-connections", "1",
                                         "--response-timeout-ms", "300",
                                         "--transfer-idle-ms", "300", "--idle-ms", "300"])

    def tearDown(self):
        self.proxy.close()
        self.upstream.close()

    def test_header_read_timeout_closes(self):
        s = self.proxy.connect()
        s.sendall(b"GET /slow HT")
        self.assertEqual(s.recv(100), b"")  # closed by the proxy, not by us
        s.close()

    def test_idle_kept_alive_client_is_closed(self):
        s = self.proxy.connect()
        f = s.makefile("rb")
        request(s, "GET", "/one", f"127.0.0.1:{self.upstream.port}")
        self.assertEqual(read_response(f).status, 200)
        self.assertEqual(f.read(), b"")  # no next request: closed after the idle timeout
        f.close()
        s.close()

    def test_504_when_the_upstream_never_answers(self):
        silent = socket.socket()
        silent.bind(("127.0.0.1", 0))
        silent.listen(4)  # the kernel completes the connect; nobody ever reads or answers
        try:
            s = self.proxy.connect()
            f = s.makefile("rb")
            request(s, "GET", "/x", f"127.0.0.1:{silent.getsockname()[1]}")
            resp = read_response(f)
            self.assertEqual(resp.status, 504)
            self.assertIn(b"upstream response", resp.body)
            f.close()
            s.close()
        finally:
            silent.close()

    def test_504_when_the_upstream_connect_never_completes(self):
        # A local black hole: a listener whose accept queue is full makes the kernel drop further
        # SYNs, so a connect neither succeeds nor fails until the client gives up.
        hole = socket.socket()
        hole.bind(("127.0.0.1", 0))
        hole.listen(0)
        port = hole.getsockname()[1]
        fillers = [socket.socket() for _ in range(4)]
        try:
            for f in fillers:
                f.setblocking(False)
                f.connect_ex(("127.0.0.1", port))
            probe = socket.socket()
            probe.settimeout(0.5)
            with self.assertRaises(socket.timeout, msg="the black hole accepted a connection"):
                probe.connect(("127.0.0.1", port))
            probe.close()
            proxy = ProxyHarness(["domain=127.0.0.1"], extra=["--connect-timeout-ms", "300"])
            try:
                s = proxy.connect()
                f = s.makefile("rb")
                request(s, "GET", "/x", f"127.0.0.1:{port}")
                resp = read_response(f)
                self.assertEqual(resp.status, 504)
                self.assertIn(f"connect 127.0.0.1:{port}: timed out".encode(), resp.body)
                f.close()
                s.close()
            finally:
                proxy.close()
        finally:
            for f in fillers:
                f.close()
            hole.close()

    def test_idle_websocket_tunnel_is_closed(self):
        s = self.proxy.connect()
        f = s.makefile("rb")
        request(s, "GET", "/ws", f"127.0.0.1:{self.upstream.port}",
                headers=[("Connection", "Upgrade"), ("Upgrade", "websocket")])
        status, _ = read_head(f)
        self.assertEqual(status, 101)
        s.sendall(b"ping")
        self.assertEqual(f.read(4), b"PING")
        self.assertEqual(f.read(), b"")  # nothing more either way: the proxy closes
        f.close()
        s.close()

    def test_one_way_websocket_outlives_the_idle_limit(self):
        # Only the server talks, for 1.2 s against a 0.3 s idle limit: traffic in one direction
        # is not idleness, the tunnel stays open until the server ends it.
        s = self.proxy.connect()
        f = s.makefile("rb")
        request(s, "GET", "/ws-push", f"127.0.0.1:{self.upstream.port}",
                headers=[("Connection", "Upgrade"), ("Upgrade", "websocket")])
        status, _ = read_head(f)
        self.assertEqual(status, 101)
        self.assertEqual(f.read(), b"".join(b"tick %02d\n" % i for i in range(12)))
        f.close()
        s.close()

    def test_over_the_connection_cap_closes_at_once(self):
        first = self.proxy.connect()
        f = first.makefile("rb")
        request(first, "GET", "/one", f"127.0.0.1:{self.upstream.port}")
        self.assertEqual(read_response(f).status, 200)  # first is now held open
        second = self.proxy.connect()
        try:
            self.assertIn(second.recv(100), (b"",))
        except ConnectionResetError:
            pass
        second.close()
        f.close()
        first.close()
        reasons = [l.get("reason", "") for l in self.proxy.audit_lines()]
        self.assertIn("connection limit of 1 reached", reasons)


if __name__ == "__main__":
    unittest.main()
