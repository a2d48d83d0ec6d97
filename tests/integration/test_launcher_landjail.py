"""jailkeeper-launch: landjail-only behaviour (skipped where the kernel has no Landlock ABI >= 4):
proxy variables (NO_PROXY cleared, random port unless fixed), TCP connect only to the proxy
port, fail closed without Landlock; doctor; the static link. What every jail guarantees is in
test_launcher_jails.py."""
import ctypes
import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import unittest

BINARY = os.path.abspath(os.environ.get("JK_LAUNCH_BIN", "build/launcher/jailkeeper-launch"))
HERE = os.path.dirname(os.path.abspath(__file__))
PROBE = os.path.join(HERE, "launcher_support", "probe.py")
RESTRICT = os.path.join(HERE, "launcher_support", "restrict.py")
LAUNCHER_FAILURE = 125
DEADLINE_S = 10


def landlock_abi():
    libc = ctypes.CDLL(None, use_errno=True)
    return libc.syscall(444, None, 0, 1)  # landlock_create_ruleset(NULL, 0, VERSION)


@unittest.skipIf(landlock_abi() < 4, "needs Landlock ABI >= 4 (Linux >= 6.7, landlock in lsm=)")
class Landjail(unittest.TestCase):
    def setUp(self):
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        self.tmp = tmp.name
        self.tmpdir = os.path.join(self.tmp, "tmpdir")  # the launcher's $TMPDIR
        os.mkdir(self.tmpdir)

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

    def test_refuses_without_landlock_and_never_runs_the_agent(self):
        marker = os.path.join(self.tmp, "ran")
        r = subprocess.run([sys.executable, RESTRICT, "--no-landlock", "--", BINARY,
                            "--jail-type", "landjail", "--", "touch", marker],
                           capture_output=True, text=True, timeout=60, env=self.env())
        self.assertEqual(r.returncode, LAUNCHER_FAILURE, r.stderr)
        self.assertIn("landjail: Landlock is not supported by this kernel", r.stderr)
        self.assertFalse(os.path.exists(marker))
        self.assertEqual(os.listdir(self.tmpdir), [])

class Doctor(unittest.TestCase):
    def test_json_describes_the_host(self):
        r = subprocess.run([BINARY, "doctor", "-o", "json"], capture_output=True, text=True,
                           timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        report = json.loads(r.stdout)
        self.assertEqual(set(report), {"architecture", "user_namespaces", "capabilities",
                                       "seccomp_mode", "landlock", "nf_tables", "jails"})
        self.assertEqual(report["architecture"], platform.machine())  # the launcher's own CPU
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
