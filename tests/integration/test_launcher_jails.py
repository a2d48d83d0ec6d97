"""What every jail of jailkeeper-launch guarantees, run for each jail this host can build
(nsjail with and without a user namespace, also when user.max_user_namespaces is 0, landjail,
seccompjail; a jail `doctor` reports as
unavailable is skipped with its reason): no capabilities + no_new_privs + seccomp for the
agent, requests end at the proxy (denied by default: 403), the agent's exit status (128+N when
killed), signal forwarding, trust files but no private key, nothing left behind after exit or
after SIGKILL of the launcher (the agent dies with it; the next start removes the stale
directory). Landjail-only behaviour: test_launcher_landjail.py."""
import json
import os
import pty
import select
import signal
import subprocess
import sys
import tempfile
import time
import unittest

BINARY = os.path.abspath(os.environ.get("JK_LAUNCH_BIN", "build/launcher/jailkeeper-launch"))
HERE = os.path.dirname(os.path.abspath(__file__))
PROBE = os.path.join(HERE, "launcher_support", "probe.py")
LAUNCHER_FAILURE = 125
DEADLINE_S = 10


def doctor():
    r = subprocess.run([BINARY, "doctor", "-o", "json"], capture_output=True, text=True,
                       timeout=60)
    return {j["name"]: j for j in json.loads(r.stdout)["jails"]} if r.returncode == 0 else {}


JAILS = doctor()


def unavailable(name):
    jail = JAILS.get(name)
    if jail is None:
        return "doctor failed"
    return None if jail["available"] else name + ": " + jail["reason"]


def wait_until(condition, what):
    """Polls a condition the test cannot be notified of (another process's death)."""
    deadline = time.monotonic() + DEADLINE_S
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for " + what)
        time.sleep(0.02)


def read_until(fd, word):
    """Terminal output up to a complete line starting with `word` (guarded by DEADLINE_S)."""
    seen = ""
    deadline = time.monotonic() + DEADLINE_S
    while not any(line.startswith(word) for line in seen.split("\n")[:-1]):
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            raise AssertionError(f"no {word!r} line on the terminal; saw {seen!r}")
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # EIO: the launcher's side of the terminal closed
            raise AssertionError(f"terminal closed before {word!r}; saw {seen!r}")
        seen += chunk.decode(errors="replace").replace("\r", "")
    return seen


def alive(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().split(")")[-1].split()[0] != "Z"
    except (FileNotFoundError, ProcessLookupError):  # reaped before or while reading (ESRCH)
        return False


class JailContract:
    FLAGS = ()

    def setUp(self):
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        self.tmp = tmp.name
        self.tmpdir = os.path.join(self.tmp, "tmpdir")  # the launcher's $TMPDIR
        os.mkdir(self.tmpdir)

    def env(self, **extra):
        return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "TMPDIR": self.tmpdir, **extra}

    def command(self, *agent):
        return [BINARY, *self.FLAGS, "--", *agent]

    def launch(self, *agent):
        return subprocess.run(self.command(*agent), capture_output=True, text=True, timeout=60,
                              env=self.env())

    def start(self, *agent):
        p = subprocess.Popen(self.command(*agent), stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env=self.env())

        def reap():
            p.kill()
            p.communicate(timeout=30)
        self.addCleanup(reap)
        return p

    def probe(self, *args):
        r = self.launch(sys.executable, PROBE, *args)
        self.assertEqual(r.returncode, 0, r.stderr)
        return json.loads(r.stdout)

    def test_agent_has_no_capabilities_and_no_new_privs(self):
        status = self.probe()["status"]
        for key in ("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"):
            self.assertEqual(int(status[key], 16), 0, key)
        self.assertEqual(status["NoNewPrivs"], "1")
        self.assertEqual(status["Seccomp"], "2")

    def test_the_launcher_holds_no_capability_while_the_agent_runs(self):
        # The proxy parses hostile bytes: once the jail stands, the launcher (every thread) has
        # no capability and no_new_privs, so taking it over gains no more than the agent has.
        # A request answered by the proxy first: its threads run, so the drop is done.
        agent = ("import time, urllib.request, urllib.error\n"
                 "try:\n    urllib.request.urlopen('http://denied.example/', timeout=20)\n"
                 "except urllib.error.HTTPError as e:\n    print('ready', e.code, flush=True)\n"
                 "time.sleep(600)\n")
        p = self.start(sys.executable, "-c", agent)
        self.assertEqual(p.stdout.readline(), "ready 403\n")
        tasks = os.listdir(f"/proc/{p.pid}/task")
        self.assertTrue(tasks)
        for task in tasks:
            with open(f"/proc/{p.pid}/task/{task}/status") as f:
                status = dict(line.rstrip("\n").split(":\t", 1) for line in f if ":\t" in line)
            for key in ("CapInh", "CapPrm", "CapEff", "CapAmb"):
                self.assertEqual(int(status[key], 16), 0, f"thread {task}: {key}")
            self.assertEqual(status["NoNewPrivs"], "1", f"thread {task}")

    def test_requests_end_at_the_proxy_which_denies_by_default(self):
        seen = self.probe("--get", "http://denied.example/")
        self.assertEqual(seen["get"]["http://denied.example/"], 403)

    def test_agent_gets_trust_files_but_no_private_key(self):
        agent = ("import os, sys\n"
                 "d = os.path.dirname(os.environ['SSL_CERT_FILE'])\n"
                 "for root, _, files in os.walk(d):\n"
                 "    for f in files:\n"
                 "        if b'PRIVATE KEY' in open(os.path.join(root, f), 'rb').read():\n"
                 "            sys.exit(1)\n"
                 "sys.exit(0 if b'BEGIN CERTIFICATE' in open(os.environ['SSL_CERT_FILE'], 'rb')"
                 ".read() else 2)\n")
        r = self.launch(sys.executable, "-c", agent)
        self.assertEqual(r.returncode, 0, r.stderr)

    def test_exit_status_is_the_agents(self):
        cases = [("exit 3", 3), ("exit 0", 0), ("kill -9 $$", 137), ("kill -TERM $$", 143)]
        for script, code in cases:
            with self.subTest(script=script):
                r = self.launch("/bin/sh", "-c", script)
                self.assertEqual(r.returncode, code, r.stderr)

    def test_signals_are_forwarded_to_the_agent(self):
        # os.write, not print: a handler that prints while the main thread is still inside
        # print('ready') makes Python raise "reentrant call" and the agent exits 1.
        agent = ("import os, signal, sys, time\n"
                 "signal.signal(signal.SIGTERM, lambda *a: sys.exit(42))\n"
                 "signal.signal(signal.SIGUSR1, lambda *a: os.write(1, b'usr1\\n'))\n"
                 "os.write(1, b'ready\\n')\n"
                 "while True: time.sleep(1)\n")
        p = self.start(sys.executable, "-c", agent)
        self.assertEqual(p.stdout.readline(), "ready\n")
        p.send_signal(signal.SIGUSR1)
        self.assertEqual(p.stdout.readline(), "usr1\n")
        p.send_signal(signal.SIGTERM)
        self.assertEqual(p.wait(timeout=30), 42)

    def test_agent_reads_and_writes_the_terminal(self):
        # The launcher runs on a pseudo-terminal as its controlling terminal (as in an
        # interactive shell): the agent must see the terminal, read what is typed (without
        # being stopped by SIGTTIN: it must be in the foreground) and write to it.
        agent = ("import os, sys\n"
                 "print('tty', os.isatty(0), os.isatty(1), flush=True)\n"
                 "print('got', sys.stdin.readline().strip(), flush=True)\n")
        command = self.command(sys.executable, "-c", agent)
        env = self.env()
        pid, master = pty.fork()
        if pid == 0:  # the launcher: session leader with the pty as its terminal
            try:
                os.execvpe(command[0], command, env)
            finally:
                os._exit(127)
        self.addCleanup(os.close, master)
        self.assertIn("tty True True", read_until(master, "tty"))
        os.write(master, b"typed words\n")
        self.assertIn("got typed words", read_until(master, "got"))
        _, status = os.waitpid(pid, 0)
        self.assertEqual(os.waitstatus_to_exitcode(status), 0)

    def test_nothing_left_behind_after_exit(self):
        r = self.launch("/bin/true")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(os.listdir(self.tmpdir), [])

    def test_sigkill_of_the_launcher_kills_the_agent_and_the_next_start_cleans_up(self):
        # The agent's own pid may be in another pid namespace: find it by a unique argument.
        token = "jk-agent-%d-%s" % (os.getpid(), self.id().rsplit(".", 2)[-2])
        agent = "import sys, time\nprint('ready', flush=True)\ntime.sleep(600)\n"
        p = self.start(sys.executable, "-c", agent, token)
        self.assertEqual(p.stdout.readline(), "ready\n")
        agents = self.processes_running(token)
        self.assertEqual(len(agents), 1, agents)
        self.assertEqual(len(os.listdir(self.tmpdir)), 1)
        p.send_signal(signal.SIGKILL)
        p.wait(timeout=30)
        wait_until(lambda: not alive(agents[0]), "the agent to die with its launcher")
        r = self.launch("/bin/true")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(os.listdir(self.tmpdir), [], "the next start removed the stale directory")

    @staticmethod
    def processes_running(token):
        """Pids (as the host sees them) of live processes with `token` as an argument."""
        pids = []
        for entry in os.listdir("/proc"):
            if not entry.isdigit() or int(entry) == os.getpid():
                continue
            try:
                with open("/proc/%s/cmdline" % entry, "rb") as f:
                    cmdline = f.read().decode(errors="replace")
            except OSError:
                continue
            args = cmdline.split("\0")
            if token in args and "jailkeeper-launch" not in cmdline and alive(int(entry)):
                pids.append(int(entry))
        return pids

    def test_missing_agent_is_a_launcher_failure(self):
        r = self.launch("/no/such/agent")
        self.assertEqual(r.returncode, LAUNCHER_FAILURE)
        self.assertIn("/no/such/agent", r.stderr)


@unittest.skipIf(unavailable("nsjail"), unavailable("nsjail"))
class Nsjail(JailContract, unittest.TestCase):
    FLAGS = ("--jail-type", "nsjail")


@unittest.skipIf(unavailable("nsjail"), unavailable("nsjail"))
class NsjailWithoutUserNamespace(JailContract, unittest.TestCase):
    FLAGS = ("--jail-type", "nsjail", "--no-user-namespace")


def userns_sysctl_unavailable():
    """Why user.max_user_namespaces cannot be set to 0 in a fresh user namespace, or None."""
    try:
        r = subprocess.run(["unshare", "--user", "--map-root-user", "sh", "-c",
                            "echo 0 > /proc/sys/user/max_user_namespaces"],
                           capture_output=True, text=True, timeout=30)
    except FileNotFoundError:
        return "unshare (util-linux) is not installed"
    return None if r.returncode == 0 else "cannot set the sysctl in a user namespace: " + r.stderr


# user.max_user_namespaces is per user namespace: set to 0 inside a fresh one (where its root
# may change it without touching the host), the launcher must find it, fall back to nsjail
# without a user namespace on its own, and keep every guarantee of the contract.
SET_NO_USERNS = 'echo 0 > /proc/sys/user/max_user_namespaces && readlink /proc/self/ns/user ' \
                '> "$NS_FILE" && exec "$@"'


@unittest.skipIf(unavailable("nsjail") or userns_sysctl_unavailable(),
                 unavailable("nsjail") or userns_sysctl_unavailable())
class NsjailWhenUserNamespacesAreOff(JailContract, unittest.TestCase):
    FLAGS = ("--jail-type", "nsjail", "--log-level", "info")

    def command(self, *agent):
        return ["unshare", "--user", "--map-root-user", "sh", "-c", SET_NO_USERNS, "sh",
                *super().command(*agent)]

    def env(self, **extra):
        return super().env(NS_FILE=os.path.join(self.tmp, "launcher-userns"), **extra)

    def test_the_launcher_says_so_and_makes_no_user_namespace(self):
        r = self.launch("readlink", "/proc/self/ns/user")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("user.max_user_namespaces is 0, running without a user namespace",
                      r.stderr)
        with open(os.path.join(self.tmp, "launcher-userns")) as f:
            launcher_ns = f.read().strip()
        self.assertEqual(r.stdout.strip(), launcher_ns)  # the agent is in the launcher's


@unittest.skipIf(unavailable("landjail"), unavailable("landjail"))
class Landjail(JailContract, unittest.TestCase):
    FLAGS = ("--jail-type", "landjail")


@unittest.skipIf(unavailable("seccompjail"), unavailable("seccompjail"))
class Seccompjail(JailContract, unittest.TestCase):
    FLAGS = ("--jail-type", "seccompjail")


if __name__ == "__main__":
    unittest.main()
