"""Escape tests for nsjail (issue 5): a static probe runs as the jailed agent and tries every way
out; each test asserts it was refused or ended at the proxy. Modes: nsjail with a user namespace,
nsjail --no-user-namespace (both through jk_nsjail_harness, whose stand-in proxy answers
"REDIRECTED <original destination>"), and the real jailkeeper-launch when it runs nsjail.
Then the privilege profiles of DESIGN.md's decision table (capabilities dropped with setpriv
before the launcher starts), and that nothing is left behind after exit, SIGTERM and SIGKILL.

Privileged: must run as root; every test skips with the reason when the jail cannot be built."""
import os
import re
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import unittest

HARNESS = os.environ.get("JK_NSJAIL_HARNESS", "build/tests/integration/jk_nsjail_harness")
LAUNCH = os.environ.get("JK_LAUNCH_BIN", "build/launcher/jailkeeper-launch")
PROBE_SRC = os.environ.get("JK_ESCAPE_PROBE_SRC", "../support/escape_probe.c")
SETUP_FAILED = 125
RUN_TIMEOUT = 60
GONE_DEADLINE = 10  # seconds for the kernel to tear a killed jail down
# Docker's default capability set; each profile adds to it (DESIGN.md decision table).
DEFAULT_CAPS = ("chown,dac_override,fowner,fsetid,kill,setgid,setuid,setpcap,net_bind_service,"
                "net_raw,sys_chroot,mknod,audit_write,setfcap")

_tmp = tempfile.mkdtemp(prefix="jk-escape-")
PROBE = os.path.join(_tmp, "escape_probe")


def setUpModule():
    if os.geteuid() != 0:
        raise unittest.SkipTest("escape tests must run as root (they create namespaces)")
    if shutil.which("cc") is None:
        raise unittest.SkipTest("no C compiler to build the probe")
    subprocess.run(["cc", "-static", "-O2", "-o", PROBE, PROBE_SRC], check=True,
                   stderr=subprocess.DEVNULL)
    os.chmod(_tmp, 0o755)
    reason = jail_unavailable([])
    if reason:
        raise unittest.SkipTest("nsjail cannot run here: " + reason)


def tearDownModule():
    shutil.rmtree(_tmp, ignore_errors=True)


def run(argv, timeout=RUN_TIMEOUT):
    return subprocess.run(argv, capture_output=True, text=True, timeout=timeout)


def jail_unavailable(flags):
    done = run([HARNESS, *flags, "--", "/bin/true"])
    return "" if done.returncode == 0 else done.stderr.strip() or f"exit {done.returncode}"


class Upstream:
    """A local HTTP service (IPv4 and IPv6) that answers "UPSTREAM" to anything and counts
    connections, and a UDP socket that must never receive anything from the jail."""

    def __init__(self):
        self.connections = 0
        self.tcp = socket.create_server(("127.0.0.1", 0))
        self.port = self.tcp.getsockname()[1]
        self.tcp6 = socket.create_server(("::1", self.port), family=socket.AF_INET6)
        self.udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.udp.bind(("127.0.0.1", 0))
        self.udp_port = self.udp.getsockname()[1]
        for server in (self.tcp, self.tcp6):
            threading.Thread(target=self.serve, args=(server,), daemon=True).start()

    def serve(self, server):
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            self.connections += 1
            with conn:
                conn.settimeout(RUN_TIMEOUT)
                try:
                    conn.recv(4096)  # the request (one segment is enough for these probes)
                    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 9\r\n"
                                 b"Connection: close\r\n\r\nUPSTREAM\n")
                except OSError:
                    pass

    def udp_received(self):
        self.udp.setblocking(False)
        try:
            return self.udp.recv(64)
        except BlockingIOError:
            return b""

    def close(self):
        for s in (self.tcp, self.tcp6, self.udp):
            s.close()


class NsjailEscapeBase:
    """Shared assertions; subclasses say how to start the jail (`command`)."""

    flags = []

    def command(self, *probe_args):
        return [HARNESS, *self.flags, "--", PROBE, *probe_args]

    def probe(self, *args):
        done = run(self.command(*args))
        self.assertEqual(done.returncode, 0, done.stderr)
        return done.stdout.strip()

    def assertRefused(self, *args):
        out = self.probe(*args)
        self.assertTrue(out.startswith("blocked"), f"{args}: {out}")
        return out

    def setUp(self):
        reason = jail_unavailable(self.flags)
        if reason:
            self.skipTest(reason)
        self.upstream = Upstream()

    def tearDown(self):
        self.upstream.close()

    def test_agent_has_no_capabilities_and_no_new_privs(self):
        out = self.probe("status")
        for cap_set in ("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"):
            self.assertRegex(out, cap_set + r":\s*0{16};")
        self.assertRegex(out, r"NoNewPrivs:\s*1;")

    def test_tcp_to_the_upstreams_real_address_ends_at_the_proxy(self):
        out = self.probe("tcp", "127.0.0.1", str(self.upstream.port), "GET / HTTP/1.0\\r\\n\\r\\n")
        self.assertEqual(out, f"ok connected REDIRECTED 127.0.0.1:{self.upstream.port}\\n")
        self.assertEqual(self.upstream.connections, 0)

    def test_tcp_to_any_address_and_port_ends_at_the_proxy(self):
        for host, port in (("203.0.113.7", "443"), ("10.0.0.1", "22"), ("127.0.0.1", "1")):
            out = self.probe("tcp", host, port)
            self.assertEqual(out, f"ok connected REDIRECTED {host}:{port}\\n")

    def test_ipv6_does_not_leave_the_jail(self):
        # Refused at once (a reset from the jail's firewall), not left to time out.
        for host, port in (("::1", str(self.upstream.port)), ("2001:db8::10", "443")):
            self.assertEqual(self.assertRefused("tcp6", host, port),
                             "blocked connect: Connection refused")
        self.assertRefused("udp6", "::1", str(self.upstream.udp_port))
        self.assertEqual(self.upstream.connections, 0)
        self.assertEqual(self.upstream.udp_received(), b"")

    def test_udp_only_reaches_the_dns_stub(self):
        self.probe("udp", "127.0.0.1", str(self.upstream.udp_port))
        self.assertEqual(self.upstream.udp_received(), b"")
        self.assertRefused("udp", "127.0.0.1", str(self.upstream.udp_port))

    def test_icmp_echo_is_refused(self):
        self.assertRefused("icmp", "127.0.0.1")
        self.assertRefused("icmp", "203.0.113.7")

    def test_firewall_cannot_be_flushed(self):
        self.assertRefused("nft-flush")

    def test_no_new_namespace_setns_or_mount(self):
        self.assertRefused("unshare")
        self.assertRefused("setns", "/proc/1/ns/net")
        self.assertRefused("setns", f"/proc/{os.getpid()}/ns/net")
        self.assertRefused("mount")

    def test_jail_init_memory_and_environment_are_unreadable(self):
        # init (pid 1) is a fork of the launcher: its memory holds whatever the launcher held
        # (the CA private key in the real launcher).
        for path in ("/proc/1/mem", "/proc/1/environ", "/proc/1/fd/0"):
            self.assertEqual(self.probe("read", path), "blocked open: Permission denied", path)

    def test_dns_answers_with_the_placeholders(self):
        self.assertEqual(self.probe("dns", "example.com"), "ok 6.6.6.6 2001:db8::1")

    def test_dns_to_any_resolver_of_either_family_is_answered_by_the_stub(self):
        # A pod in an IPv6 cluster has an IPv6 resolver: its queries reach the stub too, and
        # the answer appears to come from the resolver asked.
        for resolver in ("10.96.0.10", "fd00:10:96::a", "2001:4860:4860::8888"):
            self.assertEqual(self.probe("dnsq", resolver, "example.com"),
                             f"ok 6.6.6.6 from {resolver}", resolver)

    def test_exit_status_is_the_agents(self):
        done = run([HARNESS, *self.flags, "--", "/bin/sh", "-c", "exit 3"])
        self.assertEqual(done.returncode, 3, done.stderr)

    def test_exec_failure_fails_closed(self):
        done = run([HARNESS, *self.flags, "--", "/nonexistent/agent"])
        self.assertEqual(done.returncode, SETUP_FAILED)
        self.assertIn("exec /nonexistent/agent", done.stderr)


class NsjailWithUserNamespace(NsjailEscapeBase, unittest.TestCase):
    flags = []


class NsjailWithoutUserNamespace(NsjailEscapeBase, unittest.TestCase):
    flags = ["--no-user-namespace"]


def host_network_state():
    """What a leak would change in the launcher's namespace: links, nft rules, routes."""
    links = run(["ip", "-o", "link"]).stdout if shutil.which("ip") else ""
    routes = run(["ip", "route", "show", "table", "all"]).stdout if shutil.which("ip") else ""
    rules = run(["nft", "list", "ruleset"]).stdout if shutil.which("nft") else ""
    return links, routes, rules


def processes_with(marker):
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                if marker.encode() in f.read():
                    found.append(pid)
        except OSError:
            pass
    return found


class NothingLeftBehind(unittest.TestCase):
    """Through the harness; RealLauncherNothingLeftBehind repeats it with jailkeeper-launch."""

    def base(self):
        return [HARNESS, "--"]

    def setUp(self):
        reason = jail_unavailable([])
        if reason:
            self.skipTest(reason)
        self.before = host_network_state()
        with open("/proc/self/mountinfo") as f:
            self.mounts = f.read()

    def start_sleeper(self):
        self.marker = f"{time.time_ns() % 100000}.5"  # a unique `sleep` argument
        proc = subprocess.Popen([*self.base(), "/bin/sleep", self.marker],
                                stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + GONE_DEADLINE
        while not self.agent_running() and time.monotonic() < deadline:
            time.sleep(0.05)  # waiting for the agent to exist, not asserting on time
        return proc

    def agent_running(self):
        """The agent itself (comm "sleep") runs: the launcher is past its set-up."""
        for pid in processes_with(self.marker):
            try:
                with open(f"/proc/{pid}/comm") as f:
                    if f.read().strip() == "sleep":
                        return True
            except OSError:
                pass
        return False

    def assert_gone(self):
        deadline = time.monotonic() + GONE_DEADLINE
        while processes_with(self.marker) and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertEqual(processes_with(self.marker), [])
        self.assertEqual(host_network_state(), self.before)
        with open("/proc/self/mountinfo") as f:
            self.assertEqual(f.read(), self.mounts)

    def test_after_normal_exit(self):
        self.marker = "never-started"
        self.assertEqual(run([*self.base(), "/bin/true"]).returncode, 0)
        self.assert_gone()

    def test_after_sigterm_of_the_launcher(self):
        proc = self.start_sleeper()
        proc.terminate()
        self.assertEqual(proc.wait(RUN_TIMEOUT), 128 + 15)
        self.assert_gone()

    def test_after_sigkill_of_the_launcher(self):
        proc = self.start_sleeper()
        proc.kill()
        proc.wait(RUN_TIMEOUT)
        self.assert_gone()


class RealLauncherNothingLeftBehind(NothingLeftBehind):
    def base(self):
        return [LAUNCH, "--jail-type", "nsjail", "--"]

    def setUp(self):
        if not os.path.exists(LAUNCH) or run([*self.base(), "/bin/true"]).returncode != 0:
            self.skipTest("jailkeeper-launch does not run nsjail here")
        super().setUp()


class PrivilegeProfiles(unittest.TestCase):
    """The launcher started with exactly a profile's capabilities (bounding set)."""

    def start(self, caps, flags):
        if shutil.which("setpriv") is None:
            self.skipTest("setpriv (util-linux) is needed to drop capabilities")
        bounding = "-all," + ",".join("+" + c for c in caps.split(","))
        return run(["setpriv", "--bounding-set", bounding, "--inh-caps=-all", "--",
                    HARNESS, *flags, "--", PROBE, "tcp", "203.0.113.9", "80"])

    def test_amazon_linux_net_admin_runs_nsjail_with_user_namespace(self):
        if jail_unavailable([]):
            self.skipTest("user namespaces unavailable here")
        done = self.start(DEFAULT_CAPS + ",net_admin", [])
        self.assertEqual(done.stdout.strip(), "ok connected REDIRECTED 203.0.113.9:80\\n",
                         done.stderr)

    def test_bottlerocket_without_userns_net_admin_sys_admin(self):
        done = self.start(DEFAULT_CAPS + ",net_admin,sys_admin", ["--no-user-namespace"])
        self.assertEqual(done.stdout.strip(), "ok connected REDIRECTED 203.0.113.9:80\\n",
                         done.stderr)

    def test_unprivileged_user_without_any_capability_runs_nsjail_with_user_namespace(self):
        if not os.access(HARNESS, os.X_OK) or os.stat(HARNESS).st_mode & 0o005 != 0o005:
            self.skipTest("the harness is not readable+executable by others")
        done = run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                    "--bounding-set=-all", "--inh-caps=-all", "--",
                    HARNESS, "--", PROBE, "tcp", "203.0.113.9", "80"])
        if "user namespaces are refused" in done.stderr:
            self.skipTest(done.stderr.strip())
        self.assertEqual(done.stdout.strip(), "ok connected REDIRECTED 203.0.113.9:80\\n",
                         done.stderr)

    def test_without_sys_admin_no_user_namespace_refuses_and_says_why(self):
        done = self.start(DEFAULT_CAPS + ",net_admin", ["--no-user-namespace"])
        self.assertEqual(done.returncode, SETUP_FAILED)
        self.assertEqual(done.stdout, "", "the agent must not run")
        self.assertIn("CAP_SYS_ADMIN", done.stderr)


class RealLauncherNsjail(unittest.TestCase):
    """jailkeeper-launch --jail-type nsjail, once the supervisor runs it; skipped until then."""

    def setUp(self):
        if not os.path.exists(LAUNCH):
            self.skipTest("no jailkeeper-launch binary")
        done = run([LAUNCH, "--jail-type", "nsjail", "--", "/bin/true"])
        if done.returncode != 0:
            self.skipTest("jailkeeper-launch does not run nsjail yet: " + done.stderr.strip())
        self.upstream = Upstream()

    def tearDown(self):
        self.upstream.close()

    def launch(self, *probe_args, allow=()):
        # The upstream is on loopback, an internal upstream refused unless opted in.
        argv = [LAUNCH, "--jail-type", "nsjail", "--allow-internal", "127.0.0.1/32"]
        for rule in allow:
            argv += ["--allow", rule]
        return run(argv + ["--", PROBE, *probe_args])

    def test_caps_and_dns(self):
        self.assertRegex(self.launch("status").stdout, r"CapEff:\s*0{16};.*NoNewPrivs:\s*1;")
        self.assertEqual(self.launch("dns", "example.com").stdout.strip(),
                         "ok 6.6.6.6 2001:db8::1")

    def test_disallowed_upstream_gets_the_403_body(self):
        out = self.launch("tcp", "127.0.0.1", str(self.upstream.port),
                          "GET /x HTTP/1.1\\r\\nHost: 127.0.0.1\\r\\nConnection: close\\r\\n\\r\\n")
        self.assertIn("403", out.stdout)
        self.assertIn("Request Blocked by Boundary", out.stdout)
        self.assertEqual(self.upstream.connections, 0)

    def test_allowed_upstream_is_reached_through_the_proxy(self):
        request = "GET /x HTTP/1.1\\r\\nHost: 127.0.0.1\\r\\nConnection: close\\r\\n\\r\\n"
        out = self.launch("tcp", "127.0.0.1", str(self.upstream.port), request,
                          allow=["domain=127.0.0.1"])
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn("ok connected HTTP/1.1 200 OK", out.stdout)
        self.assertIn("UPSTREAM", out.stdout)
        self.assertEqual(self.upstream.connections, 1)

    def test_ca_private_key_is_out_of_reach_in_memory(self):
        # The launcher is not in the jail's pid namespace; init (pid 1) is a fork of it that
        # holds the CA key in memory: its /proc entries must not open.
        for path in ("/proc/1/mem", "/proc/1/environ"):
            self.assertEqual(self.launch("read", path).stdout.strip(),
                             "blocked open: Permission denied", path)


class LandjailEscape(unittest.TestCase):
    """jailkeeper-launch --jail-type landjail: Landlock allows TCP connect only to the proxy port;
    Landlock ABI 4 does not cover UDP/ICMP, so the launcher's seccomp filter refuses every
    non-TCP IP socket (no DNS stub in landjail: names are resolved by the proxy)."""

    def setUp(self):
        if not os.path.exists(LAUNCH):
            self.skipTest("no jailkeeper-launch binary")
        done = run([LAUNCH, "--jail-type", "landjail", "--", "/bin/true"])
        if done.returncode != 0:
            self.skipTest("landjail cannot run here: " + done.stderr.strip())
        self.upstream = Upstream()

    def tearDown(self):
        self.upstream.close()

    def probe(self, *args):
        done = run([LAUNCH, "--jail-type", "landjail", "--", PROBE, *args])
        self.assertEqual(done.returncode, 0, done.stderr)
        return done.stdout.strip()

    def assertRefused(self, *args):
        out = self.probe(*args)
        self.assertTrue(out.startswith("blocked"), f"{args}: {out}")

    def test_agent_has_no_capabilities_and_no_new_privs(self):
        out = self.probe("status")
        for cap_set in ("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"):
            self.assertRegex(out, cap_set + r":\s*0{16};")
        self.assertRegex(out, r"NoNewPrivs:\s*1;")

    def test_tcp_that_bypasses_the_proxy_is_refused(self):
        self.assertRefused("tcp", "127.0.0.1", str(self.upstream.port))
        self.assertRefused("tcp6", "::1", str(self.upstream.port))
        self.assertEqual(self.upstream.connections, 0)

    def test_udp_and_icmp_are_refused(self):
        self.assertRefused("udp", "127.0.0.1", str(self.upstream.udp_port))
        self.assertEqual(self.upstream.udp_received(), b"")
        self.assertRefused("icmp", "127.0.0.1")
        self.assertRefused("icmp", "203.0.113.7")

    def test_no_firewall_change_namespace_setns_or_mount(self):
        self.assertRefused("nft-flush")
        self.assertRefused("unshare")
        self.assertRefused("setns", "/proc/1/ns/net")
        self.assertRefused("mount")

    def test_launcher_memory_and_environment_are_unreadable(self):
        for name in ("mem", "environ"):
            self.assertEqual(self.probe("read-parent", name), "blocked open: Permission denied")


if __name__ == "__main__":
    unittest.main()
