"""jailkeeper-launch under the privileges of each node profile of DESIGN.md's decision table,
reproduced by launcher_support/restrict.py (drop capabilities, refuse user namespaces like a
container runtime's default seccomp profile, hide Landlock like an old kernel): `auto` picks the
strongest jail that can run, an explicitly requested jail that cannot run is refused (exit 125)
with the reason, and the agent never runs then. Needs root (to have something to drop)."""
import json
import os
import subprocess
import sys
import tempfile
import unittest

BINARY = os.path.abspath(os.environ.get("JK_LAUNCH_BIN", "build/launcher/jailkeeper-launch"))
HERE = os.path.dirname(os.path.abspath(__file__))
RESTRICT = os.path.join(HERE, "launcher_support", "restrict.py")
LAUNCHER_FAILURE = 125
# A container runtime's default capabilities (CHOWN DAC_OVERRIDE FOWNER FSETID KILL SETGID SETUID
# SETPCAP NET_BIND_SERVICE NET_RAW SYS_CHROOT MKNOD AUDIT_WRITE SETFCAP) and what the webhook adds.
DEFAULT_CAPS = [0, 1, 3, 4, 5, 6, 7, 8, 10, 13, 18, 27, 29, 31]
NET_ADMIN, SYS_ADMIN = 12, 21


def caps(*extra):
    return "--caps=" + ",".join(str(c) for c in DEFAULT_CAPS + list(extra))


def available_jails(restrictions):
    r = subprocess.run([sys.executable, RESTRICT, *restrictions, "--", BINARY, "doctor", "-o",
                        "json"], capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        return set()
    return {j["name"] for j in json.loads(r.stdout)["jails"] if j["available"]}


UNRESTRICTED = available_jails([])


@unittest.skipIf(os.geteuid() != 0, "needs root: the profiles are made by dropping privileges")
@unittest.skipIf(UNRESTRICTED != {"nsjail", "landjail", "seccompjail"},
                 "needs a host where every jail can run (doctor: %s)" % sorted(UNRESTRICTED))
class Profiles(unittest.TestCase):
    def run_launcher(self, restrictions, flags, marker):
        with tempfile.TemporaryDirectory() as tmpdir:
            r = subprocess.run([sys.executable, RESTRICT, *restrictions, "--", BINARY,
                                "--log-level", "info", *flags, "--", "touch", marker],
                               capture_output=True, text=True, timeout=60,
                               env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"),
                                    "TMPDIR": tmpdir})
            self.assertEqual(os.listdir(tmpdir), [])
        return r

    @staticmethod
    def selected_jail(stderr):
        for line in stderr.splitlines():
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if record.get("msg") == "jail selected":
                return record["jail"]
        return None

    def test_auto_picks_the_strongest_jail_the_profile_allows(self):
        cases = [
            ("root with every capability", [], [], "nsjail"),
            ("Amazon Linux: NET_ADMIN", [caps(NET_ADMIN)], [], "nsjail"),
            ("Bottlerocket, user namespaces off: NET_ADMIN + SYS_ADMIN",
             [caps(NET_ADMIN, SYS_ADMIN), "--no-newuser"], ["--no-user-namespace"], "nsjail"),
            ("Fargate, Linux >= 6.7", [caps(), "--no-userns"], [], "landjail"),
            ("Fargate, older kernel", [caps(), "--no-userns", "--no-landlock"], [],
             "seccompjail"),
            ("no capabilities at all, older kernel",
             ["--drop-caps", "--no-userns", "--no-landlock"], [], "seccompjail"),
            ("no capabilities at all, Landlock", ["--drop-caps", "--no-userns"], [], "landjail"),
        ]
        for name, restrictions, flags, jail in cases:
            with self.subTest(name), tempfile.TemporaryDirectory() as d:
                marker = os.path.join(d, "ran")
                r = self.run_launcher(restrictions, flags, marker)
                self.assertEqual(r.returncode, 0, r.stderr)
                self.assertEqual(self.selected_jail(r.stderr), jail, r.stderr)
                self.assertTrue(os.path.exists(marker))

    def test_a_requested_jail_that_cannot_run_is_refused_with_the_reason(self):
        cases = [
            ("nsjail without user namespaces", [caps(NET_ADMIN), "--no-userns"],
             ["--jail-type", "nsjail"], "namespaces are refused here"),
            ("nsjail --no-user-namespace without SYS_ADMIN", [caps(NET_ADMIN)],
             ["--jail-type", "nsjail", "--no-user-namespace"], "nsjail: "),
            ("landjail without Landlock", ["--no-landlock"], ["--jail-type", "landjail"],
             "Landlock is not supported by this kernel"),
        ]
        for name, restrictions, flags, reason in cases:
            with self.subTest(name), tempfile.TemporaryDirectory() as d:
                marker = os.path.join(d, "ran")
                r = self.run_launcher(restrictions, flags, marker)
                self.assertEqual(r.returncode, LAUNCHER_FAILURE, r.stderr)
                self.assertIn("no jail can run here", r.stderr)
                self.assertIn(reason, r.stderr)
                self.assertFalse(os.path.exists(marker))


if __name__ == "__main__":
    unittest.main()
