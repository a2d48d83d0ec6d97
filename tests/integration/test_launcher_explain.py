"""The real `jailkeeper-launch`: explain's output and exit codes (0 allowed, 1 denied, 2 invalid)
from flags, environment, YAML config and launch spec; install; a launcher failure is 125 and the
command does not run. (Running jailed: test_launcher_landjail.py and the escape tests.)"""
import json
import os
import stat
import subprocess
import tempfile
import unittest

BINARY = os.path.abspath(os.environ.get("JK_LAUNCH_BIN", "build/launcher/jailkeeper-launch"))
LAUNCHER_FAILURE = 125


def run(*args, env=None):
    # A clean environment: nothing from the developer's shell (BOUNDARY_*, JAILKEEPER_*) leaks in.
    return subprocess.run([BINARY, *args], capture_output=True, text=True, timeout=60,
                          env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **(env or {})})


class Explain(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)

    def write(self, name, text):
        path = os.path.join(self.tmp.name, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    def test_decisions_and_exit_codes(self):
        rules = ["--allow", "domain=github.com", "--allow", "method=GET,HEAD domain=*.pypi.org"]
        cases = [
            (["GET", "https://github.com/coder/boundary"], 0, "ALLOW domain=github.com"),
            (["HEAD", "https://files.pypi.org/x?y=1"], 0, "ALLOW method=GET,HEAD domain=*.pypi.org"),
            (["GET", "https://api.github.com/"], 1, "DENY"),
            (["POST", "https://files.pypi.org/"], 1, "DENY"),
            (["GET", "http://[::1]:8080/x"], 1, "DENY"),
        ]
        for request, code, first_line in cases:
            with self.subTest(request=request):
                r = run("explain", *rules, *request)
                self.assertEqual(r.returncode, code, r.stderr)
                self.assertEqual(r.stdout.splitlines()[0], first_line)
                self.assertEqual(r.stderr, "")

    def test_denial_suggests_a_rule_that_then_allows_it(self):
        r = run("explain", "PUT", "https://api.example.com:8443/v1/items?x=1")
        self.assertEqual(r.returncode, 1)
        second = r.stdout.splitlines()[1]
        suggestion = second.split('--allow "', 1)[1].rstrip('"')
        self.assertEqual(suggestion, "method=PUT domain=api.example.com path=/v1/items")
        again = run("explain", "--allow", suggestion, "PUT", "https://api.example.com:8443/v1/items")
        self.assertEqual(again.returncode, 0, again.stderr)

    def test_invalid_input_exits_2_with_a_message(self):
        cases = [
            (["--allow", "method=GET, POST", "GET", "https://a.com/"], "--allow[0]: rule"),
            (["--allow", "domain=a.com:443", "GET", "https://a.com/"], "column"),
            (["GET", "a.com/x"], "expected an absolute http:// or https:// URL"),
            (["GET", "ftp://a.com/"], "expected an absolute http:// or https:// URL"),
            (["GE T", "https://a.com/"], "expected an HTTP method token"),
            (["GET"], "expected METHOD URL"),
            (["--proxy-port", "0", "GET", "https://a.com/"], "--proxy-port"),
            (["--nope", "GET", "https://a.com/"], "unknown flag --nope"),
        ]
        for args, message in cases:
            with self.subTest(args=args):
                r = run("explain", *args)
                self.assertEqual(r.returncode, 2, r.stdout)
                self.assertEqual(r.stdout, "")
                self.assertIn(message, r.stderr)

    def test_sources_environment_yaml_and_spec(self):
        config = self.write("boundary.yaml", "allowlist:\n  - domain=yaml.example\nproxy_port: 3128\n")
        spec = self.write("launch-spec", json.dumps(
            {"version": 1, "jail": "nsjail", "userNamespace": True, "allow": ["domain=spec.example"]}))
        env = {"BOUNDARY_CONFIG": config, "JAILKEEPER_SPEC": spec,
               "BOUNDARY_ALLOW": "domain=env.example\nmethod=GET,HEAD domain=env2.example"}
        for host in ["yaml.example", "spec.example", "env.example", "env2.example"]:
            with self.subTest(host=host):
                r = run("explain", "GET", f"https://{host}/", env=env)
                self.assertEqual(r.returncode, 0, r.stderr)
        # --allow replaces the environment's rules; YAML and spec rules stay.
        r = run("explain", "--allow", "domain=flag.example", "GET", "https://env.example/", env=env)
        self.assertEqual(r.returncode, 1, r.stderr)
        r = run("explain", "--allow", "domain=flag.example", "GET", "https://spec.example/", env=env)
        self.assertEqual(r.returncode, 0, r.stderr)

    def test_bad_config_and_missing_spec_fail_closed(self):
        bad = self.write("bad.yaml", "allow:\n  - domain=a.com\n")
        r = run("explain", "--config", bad, "GET", "https://a.com/")
        self.assertEqual(r.returncode, 2)
        self.assertIn(f'config {bad}: unknown key "allow"', r.stderr)
        r = run("explain", "GET", "https://a.com/", env={"JAILKEEPER_SPEC": "/nonexistent/spec"})
        self.assertEqual(r.returncode, 2)
        self.assertIn("spec /nonexistent/spec: cannot open", r.stderr)
        spec = self.write("s", json.dumps({"version": 1, "jail": "nsjail", "allow": ["path="]}))
        r = run("explain", "GET", "https://a.com/", env={"JAILKEEPER_SPEC": spec})
        self.assertEqual(r.returncode, 2)
        self.assertIn(f"spec {spec}: allow[0]: rule", r.stderr)


class Commands(unittest.TestCase):
    def test_install_copies_an_identical_executable(self):
        with tempfile.TemporaryDirectory() as d:
            r = run("install", d)
            self.assertEqual(r.returncode, 0, r.stderr)
            target = os.path.join(d, "jailkeeper-launch")
            self.assertEqual(os.listdir(d), ["jailkeeper-launch"])
            self.assertEqual(stat.S_IMODE(os.stat(target).st_mode), 0o755)
            with open(target, "rb") as a, open(BINARY, "rb") as b:
                self.assertEqual(a.read(), b.read())
            copy = subprocess.run([target, "version"], capture_output=True, text=True, timeout=60)
            self.assertEqual(copy.returncode, 0)
            self.assertTrue(copy.stdout.startswith("jailkeeper-launch "))
            again = run("install", d)  # idempotent: replaces the copy
            self.assertEqual(again.returncode, 0, again.stderr)

    def test_install_into_a_missing_directory_fails_clearly(self):
        r = run("install", "/nonexistent/dir")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("/nonexistent/dir: No such file or directory", r.stderr)

    def test_a_command_that_cannot_start_is_a_launcher_failure(self):
        r = run("--allow", "domain=a.com", "--", "/nonexistent/agent")
        self.assertEqual(r.returncode, LAUNCHER_FAILURE)
        self.assertIn('not running "/nonexistent/agent"', r.stderr)

    def test_help_and_version(self):
        r = run("--help")
        self.assertEqual(r.returncode, 0)
        self.assertIn("explain", r.stdout)
        self.assertIn("BOUNDARY_ALLOW", r.stdout)
        r = run("version")
        self.assertEqual(r.returncode, 0)
        # What it was built from: the version, the commit (cmake/Revision.cmake) and the
        # launch spec it reads.
        self.assertRegex(r.stdout, r"^jailkeeper-launch \d+\.\d+\.\d+ \(revision "
                         r"([0-9a-f]{40}(-dirty)?|unknown), launch spec v\d+\)\n$")


if __name__ == "__main__":
    unittest.main()
