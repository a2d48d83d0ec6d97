"""Classes of escape (issue 13) tried as the agent, through the real jailkeeper-launch, in every
jail this host can build (nsjail with and without a user namespace, landjail, seccompjail; a
jail `doctor` reports as unavailable is skipped with its reason):

- sockets: every family x type x protocol other than TCP (and UDP where the jail answers it) is
  refused at socket(); TCP ends at the proxy (the upstream sees no connection);
- inbound: nothing outside the jail can connect to a server the agent starts;
- confused deputy: an AF_UNIX socket in another user's 0700 directory stays out of reach of the
  root agent (which has no CAP_DAC_OVERRIDE), also where the launcher performs the connect;
- descendants: a setsid() child and a plain child die when the launcher is SIGKILLed;
- resources (seccompjail): 150 concurrent blocked sends cost the launcher a bounded amount of
  memory, the ones over the bound fail (ENOBUFS), not the pod.
Needs root (the agent must be root without capabilities for the deputy case)."""
import errno
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest

BINARY = os.path.abspath(os.environ.get("JK_LAUNCH_BIN", "build/launcher/jailkeeper-launch"))
PROBE_SRC = os.environ.get("JK_CLASS_PROBE_SRC",
                           os.path.join(os.path.dirname(__file__), "../support/class_probe.c"))
DEADLINE_S = 10
_tmp = tempfile.mkdtemp(prefix="jk-classes-")
PROBE = os.path.join(_tmp, "class_probe")
TCP_KINDS = {"tcp4", "tcp6"}


def setUpModule():
    if os.geteuid() != 0:
        raise unittest.SkipTest("needs root: the agent must be root without capabilities")
    if shutil.which("cc") is None:
        raise unittest.SkipTest("no C compiler to build the probe")
    subprocess.run(["cc", "-static", "-O2", "-pthread", "-o", PROBE, PROBE_SRC], check=True)
    os.chmod(_tmp, 0o755)


def tearDownModule():
    shutil.rmtree(_tmp, ignore_errors=True)


def doctor():
    r = subprocess.run([BINARY, "doctor", "-o", "json"], capture_output=True, text=True,
                       timeout=60)
    return {j["name"]: j for j in json.loads(r.stdout)["jails"]} if r.returncode == 0 else {}


JAILS = doctor() if os.path.exists(BINARY) else {}


def unavailable(name):
    jail = JAILS.get(name)
    if jail is None:
        return "doctor failed"
    return None if jail["available"] else name + ": " + jail["reason"]


def wait_until(condition, what):
    """Polls what the test cannot be notified of (another process's death)."""
    deadline = time.monotonic() + DEADLINE_S
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for " + what)
        time.sleep(0.02)


def sleepers_with(marker):
    """Live class_probe children (comm "jk-sleeper") with MARKER in their command line."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                args = f.read().split(b"\0")
            with open(f"/proc/{pid}/stat") as f:
                name, rest = f.read().split(" (", 1)[1].rsplit(")", 1)
        except (OSError, ValueError):
            continue
        if name == "jk-sleeper" and marker.encode() in args and rest.split()[0] != "Z":
            found.append(int(pid))
    return found


def local_addresses():
    """Every IPv4 address of this host's interfaces (loopback included)."""
    out = subprocess.run(["ip", "-o", "-4", "addr"], capture_output=True, text=True).stdout
    return [line.split()[3].split("/")[0] for line in out.splitlines()] or ["127.0.0.1"]


class Upstream:
    """A TCP server on 127.0.0.1 that counts connections (none may arrive from the jail)."""

    def __init__(self):
        self.connections = 0
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            self.connections += 1
            conn.close()

    def close(self):
        self.server.close()


class JailClasses:
    FLAGS = ()
    # landjail and seccompjail refuse listen() on network sockets; nsjail lets the agent listen
    # inside its own network namespace, which nothing outside can reach.
    LISTENS_IN_OWN_NAMESPACE = False
    UNIX_LISTEN = True
    UDP = True

    def setUp(self):
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        self.tmpdir = tmp.name

    def env(self):
        return {"PATH": "/usr/bin:/bin", "TMPDIR": self.tmpdir}

    def launch(self, *args, timeout=60):
        return subprocess.run([BINARY, *self.FLAGS, "--", PROBE, *args], capture_output=True,
                              text=True, timeout=timeout, env=self.env())

    def start(self, *args):
        p = subprocess.Popen([BINARY, *self.FLAGS, "--", PROBE, *args], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env=self.env())

        def reap():
            if p.poll() is None:
                p.kill()
            p.communicate(timeout=30)
        self.addCleanup(reap)
        return p

    def test_only_tcp_and_udp_sockets_exist_and_tcp_ends_at_the_proxy(self):
        upstream = Upstream()
        self.addCleanup(upstream.close)
        r = self.launch("sockets", "127.0.0.1", str(upstream.port))
        self.assertEqual(r.returncode, 0, r.stderr)
        results = dict(line.split(" ", 1) for line in r.stdout.splitlines())
        self.assertGreater(len(results), 20, r.stdout)
        for kind, result in results.items():
            if kind in TCP_KINDS:
                self.assertNotEqual(result.split()[0], "socket-refused", kind)
            else:
                self.assertEqual(result, f"socket-refused {errno.EACCES}", kind)
        self.assertEqual(upstream.connections, 0, "a connection bypassed the proxy")

    def try_from_outside(self, port):
        reached = []
        for address in local_addresses():
            try:
                with socket.create_connection((address, port), timeout=1):
                    reached.append(address)
            except OSError:
                pass
        return reached

    def test_nothing_outside_can_connect_to_a_server_the_agent_starts(self):
        for family, port in (("4", 0), ("4", 47011), ("6", 0), ("6", 47012)):
            p = self.start("listen", family, str(port), "3")
            first = p.stdout.readline().strip()
            if self.LISTENS_IN_OWN_NAMESPACE:
                self.assertTrue(first.startswith("listening "), first + p.stderr.read())
                self.assertEqual(self.try_from_outside(int(first.split()[1])), [])
                self.assertEqual(p.stdout.readline().strip(), "nothing")
            else:
                self.assertEqual(first, f"blocked listen {errno.EACCES}", (family, port))
            p.wait(timeout=30)

    def test_unix_listeners_are_local_ipc(self):
        r = self.launch("listen-unix", os.path.join(self.tmpdir, "agent.sock"))
        want = "listening" if self.UNIX_LISTEN else f"blocked {errno.EACCES}"
        self.assertEqual(r.stdout.strip(), want, r.stderr)

    def test_another_users_private_unix_socket_stays_out_of_reach(self):
        private = os.path.join(self.tmpdir, "private")
        os.mkdir(private, 0o700)
        path = os.path.join(private, "service.sock")
        server = socket.socket(socket.AF_UNIX)
        self.addCleanup(server.close)
        server.bind(path)
        server.listen(1)
        os.chown(private, 65534, 65534)  # nobody's 0700 directory: root needs DAC_OVERRIDE
        os.chmod(self.tmpdir, 0o755)
        r = self.launch("unix-connect", path)
        self.assertEqual(r.stdout.strip(), f"blocked {errno.EACCES}", r.stderr)

    def test_every_descendant_dies_with_the_launcher(self):
        marker = f"jk-classes-{os.getpid()}-{time.monotonic_ns()}"
        p = self.start("spawn", marker)
        self.assertEqual(p.stdout.readline().strip(), "spawned", p.stderr.read()
                         if p.poll() is not None else "")
        wait_until(lambda: len(sleepers_with(marker)) == 2, "both children to run")
        p.send_signal(signal.SIGKILL)
        p.wait(timeout=30)
        wait_until(lambda: sleepers_with(marker) == [], "the setsid and plain children to die")


@unittest.skipIf(unavailable("nsjail"), unavailable("nsjail"))
class Nsjail(JailClasses, unittest.TestCase):
    FLAGS = ("--jail-type", "nsjail")
    LISTENS_IN_OWN_NAMESPACE = True


@unittest.skipIf(unavailable("nsjail"), unavailable("nsjail"))
class NsjailWithoutUserNamespace(JailClasses, unittest.TestCase):
    FLAGS = ("--jail-type", "nsjail", "--no-user-namespace")
    LISTENS_IN_OWN_NAMESPACE = True


@unittest.skipIf(unavailable("landjail"), unavailable("landjail"))
class Landjail(JailClasses, unittest.TestCase):
    FLAGS = ("--jail-type", "landjail")
    UNIX_LISTEN = False  # the filter cannot tell an AF_UNIX listen() from a TCP one


@unittest.skipIf(unavailable("seccompjail"), unavailable("seccompjail"))
class Seccompjail(JailClasses, unittest.TestCase):
    FLAGS = ("--jail-type", "seccompjail")

    def launcher_rss_kib(self, launcher_pid):
        with open(f"/proc/{launcher_pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0

    def test_blocked_sends_are_bounded_and_fail_the_call_not_the_pod(self):
        p = self.start("blocking-sends", "150", str(4 << 20))
        enobufs = p.stdout.readline().split()
        still_blocked = p.stdout.readline().split()
        self.assertEqual(enobufs[0], "failed-enobufs", enobufs)
        self.assertGreaterEqual(int(enobufs[1]), 150 - 32, "the calls over the bound failed")
        self.assertLessEqual(int(still_blocked[1]), 32)
        rss = self.launcher_rss_kib(p.pid)
        print(f"\n  launcher RSS with {still_blocked[1]} blocked sends: {rss} KiB", file=sys.stderr)
        if os.environ.get("JK_SANITIZE") != "ON":  # ASan's shadow and quarantine: ~450 MiB
            self.assertLess(rss, 96 * 1024, f"launcher RSS {rss} KiB")
        self.assertIsNone(p.poll(), "the launcher (and the agent) still run")


if __name__ == "__main__":
    unittest.main()
