"""jailkeeper-launch with --jail-type landjail, end to end (run as root in CI; skipped where the
kernel has no Landlock ABI >= 4): the agent's view (proxy variables, no capabilities,
no_new_privs), TCP connect only to the proxy port, exit statuses, signal forwarding, nothing left
behind (also after SIGKILL of the launcher), fail closed without Landlock, doctor, static link."""
import ctypes
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest

BINARY = os.path.abspath(os.environ.get("JK_LAUNCH_BIN", "build/launcher/jailkeeper-launch"))
HERE = os.path.dirname(os.path.abspath(__file__))
PROBE = os.path.join(HERE, "launcher_support", "probe.py")
NO_LANDLOCK = os.path.join(HERE, "launcher_support", "no_landlock.py")
LAUNCHER_FAILURE = 125
DEADLINE_S = 10


def landlock_abi():
    libc = ctypes.CDLL(None, use_errno=True)
    return libc.syscall(444, None, 0, 1)  # landlock_create_ruleset(NULL, 0, VERSION)


def wait_until(condition, what):
    """Polls a condition the test cannot be notified of (another process's death)."""
    deadline = time.monotonic() + DEADLINE_S
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for " + what)
        time.sleep(0.02)


def alive(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False


@unittest.skipIf(landlock_abi() < 4, "needs Landlock ABI >= 4 (Linux >= 6.7, landlock in lsm=)")
class Landjail(unittest.TestCase):
    def setUp(self):
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        self.tmp = tmp.name
        self.tmpdir = os.path.join(self.tmp, "tmpdir")  # the launcher's $TMPDIR
        os.mkdir(self.tmpdir)

    @staticmethod
    def reap(p):
        p.kill()
        p.communicate(timeout=30)

    def env(self, **extra):
        return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "TMPDIR": self.tmpdir, **extra}

    def launch(self, *agent, flags=(), env=None, **kwargs):
        return subprocess.run([BINARY, "--jail-type", "landjail", *flags, "--", *agent],
                              capture_output=True, text=True, timeout=60,
                              env=env or self.env(), **kwargs)

    def probe(self, *args, flags=()):
        r = self.launch(sys.executable, PROBE, *args, flags=flags)
        self.assertEqual(r.returncode, 0, r.stderr)
        return json.loads(r.stdout)

    def listener(self):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        s.listen(8)
        self.addCleanup(s.close)
        return s.getsockname()[1]

    def proxy_port(self, seen):
        url = seen["env"]["HTTPS_PROXY"]
        self.assertRegex(url, r"^http://127\.0\.0\.1:\d+$")
        return int(url.rsplit(":", 1)[1])

    def test_agent_gets_the_proxy_variables_and_trust_files_but_no_bypass(self):
        r = self.launch(sys.executable, PROBE, env=self.env(NO_PROXY="*", no_proxy="*",
                                                            HTTP_PROXY="http://evil:1"))
        self.assertEqual(r.returncode, 0, r.stderr)
        env = json.loads(r.stdout)["env"]
        port = self.proxy_port(json.loads(r.stdout))
        for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY"):
            self.assertEqual(env.get(name), "http://127.0.0.1:%d" % port, name)
        self.assertNotIn("NO_PROXY", env)
        self.assertNotIn("no_proxy", env)
        self.assertNotEqual(port, 8080, "landjail picks a random port by default")
        for name in ("SSL_CERT_FILE", "REQUESTS_CA_BUNDLE", "NODE_EXTRA_CA_CERTS"):
            self.assertIn(name, env)
            self.assertTrue(env[name].startswith(self.tmpdir + "/jailkeeper-launch."), env[name])

    def test_agent_has_no_capabilities_and_no_new_privs(self):
        status = self.probe()["status"]
        for key in ("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"):
            self.assertEqual(int(status[key], 16), 0, key)
        self.assertEqual(status["NoNewPrivs"], "1")
        self.assertEqual(status["Seccomp"], "2")

    def test_tcp_connect_reaches_only_the_proxy_port(self):
        other = self.listener()
        seen = self.probe("--connect", str(other), "--connect", "proxy")
        self.assertEqual(seen["connect"], {str(other): 13, "proxy": "ok"})  # 13: EACCES

    def test_a_fixed_proxy_port_is_used_as_given(self):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        fixed = s.getsockname()[1]
        s.close()
        other = self.listener()
        seen = self.probe("--connect", str(fixed), "--connect", str(other),
                          flags=("--proxy-port", str(fixed)))
        self.assertEqual(self.proxy_port(seen), fixed)
        self.assertEqual(seen["connect"], {str(fixed): "ok", str(other): 13})

    def test_requests_go_through_the_proxy_which_denies_by_default(self):
        seen = self.probe("--get", "http://denied.example/")
        self.assertEqual(seen["get"]["http://denied.example/"], 403)

    def test_exit_status_is_the_agents(self):
        cases = [("exit 3", 3), ("exit 0", 0), ("kill -9 $$", 137), ("kill -TERM $$", 143)]
        for script, code in cases:
            with self.subTest(script=script):
                self.assertEqual(self.launch("/bin/sh", "-c", script).returncode, code)

    def test_signals_are_forwarded_to_the_agent(self):
        agent = ("import signal, sys, time\n"
                 "signal.signal(signal.SIGTERM, lambda *a: sys.exit(42))\n"
                 "signal.signal(signal.SIGUSR1, lambda *a: print('usr1', flush=True))\n"
                 "print('ready', flush=True)\n"
                 "while True: time.sleep(1)\n")
        p = subprocess.Popen([BINARY, "--jail-type", "landjail", "--", sys.executable, "-c", agent],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env=self.env())
        self.addCleanup(self.reap, p)
        self.assertEqual(p.stdout.readline(), "ready\n")
        p.send_signal(signal.SIGUSR1)
        self.assertEqual(p.stdout.readline(), "usr1\n")
        p.send_signal(signal.SIGTERM)
        self.assertEqual(p.wait(timeout=30), 42, p.stderr.read())

    def test_nothing_left_behind_after_exit(self):
        self.assertEqual(self.launch("/bin/true").returncode, 0)
        self.assertEqual(os.listdir(self.tmpdir), [])

    def test_sigkill_of_the_launcher_kills_the_agent_and_the_next_start_cleans_up(self):
        agent = "import os, time\nprint(os.getpid(), flush=True)\ntime.sleep(600)\n"
        p = subprocess.Popen([BINARY, "--jail-type", "landjail", "--", sys.executable, "-c", agent],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env=self.env())
        self.addCleanup(self.reap, p)
        agent_pid = int(p.stdout.readline())
        self.assertEqual(len(os.listdir(self.tmpdir)), 1)
        p.send_signal(signal.SIGKILL)
        p.wait(timeout=30)
        wait_until(lambda: not alive(agent_pid), "the agent to die with its launcher")
        self.assertEqual(len(os.listdir(self.tmpdir)), 1, "a SIGKILLed launcher cannot clean up")
        self.assertEqual(self.launch("/bin/true").returncode, 0)
        self.assertEqual(os.listdir(self.tmpdir), [], "the next start removed the stale directory")

    def test_no_private_key_is_written(self):
        agent = ("import os, sys\n"
                 "for root, _, files in os.walk(os.path.dirname(os.environ['SSL_CERT_FILE'])):\n"
                 "    for f in files:\n"
                 "        if b'PRIVATE KEY' in open(os.path.join(root, f), 'rb').read():\n"
                 "            sys.exit(1)\n")
        self.assertEqual(self.launch(sys.executable, "-c", agent).returncode, 0)

    def test_refuses_without_landlock_and_never_runs_the_agent(self):
        marker = os.path.join(self.tmp, "ran")
        r = subprocess.run([sys.executable, NO_LANDLOCK, BINARY, "--jail-type", "landjail", "--",
                            "touch", marker], capture_output=True, text=True, timeout=60,
                           env=self.env())
        self.assertEqual(r.returncode, LAUNCHER_FAILURE, r.stderr)
        self.assertIn("landjail: Landlock is not supported by this kernel", r.stderr)
        self.assertFalse(os.path.exists(marker))
        self.assertEqual(os.listdir(self.tmpdir), [])

    def test_missing_agent_is_a_launcher_failure(self):
        r = self.launch("/no/such/agent")
        self.assertEqual(r.returncode, LAUNCHER_FAILURE)
        self.assertIn("exec /no/such/agent: No such file or directory", r.stderr)


class Doctor(unittest.TestCase):
    def test_json_describes_the_host(self):
        r = subprocess.run([BINARY, "doctor", "-o", "json"], capture_output=True, text=True,
                           timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        report = json.loads(r.stdout)
        self.assertEqual(set(report), {"user_namespaces", "capabilities", "seccomp_mode",
                                       "landlock", "nf_tables", "jails"})
        abi = landlock_abi()
        self.assertEqual(report["landlock"]["abi"], abi if abi >= 0 else None)
        names = [j["name"] for j in report["jails"]]
        self.assertEqual(names, ["nsjail", "landjail", "seccompjail"])
        landjail = report["jails"][1]
        self.assertEqual(landjail["available"], abi >= 4, landjail["reason"])

    def test_text_names_every_jail(self):
        r = subprocess.run([BINARY, "doctor"], capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        for word in ("user namespaces", "capabilities", "seccomp mode", "Landlock ABI",
                     "nf_tables", "nsjail", "landjail", "seccompjail"):
            self.assertIn(word, r.stdout)

    def test_refuses_unknown_arguments(self):
        r = subprocess.run([BINARY, "doctor", "-o", "xml"], capture_output=True, text=True,
                           timeout=60)
        self.assertEqual(r.returncode, 2)


class StaticBinary(unittest.TestCase):
    @unittest.skipIf(shutil.which("ldd") is None, "ldd not installed")
    @unittest.skipIf(os.environ.get("JK_SANITIZE") == "ON", "sanitizer builds link dynamically")
    def test_ldd_says_not_a_dynamic_executable(self):
        r = subprocess.run(["ldd", BINARY], capture_output=True, text=True, timeout=60)
        self.assertIn("not a dynamic executable", r.stdout + r.stderr)


if __name__ == "__main__":
    unittest.main()
