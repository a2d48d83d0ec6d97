"""The shipped binaries carry the hardening of cmake/Hardening.cmake, read back from the ELF
files with readelf (binutils):
- every compile unit of our own sources was compiled with -fstack-protector-strong and
  -fstack-clash-protection (GCC records the options in DW_AT_producer);
- _FORTIFY_SOURCE reached our code: the fortified wrappers (bits/string_fortified.h,
  bits/unistd.h) are in the line tables of our compile units (not in Debug builds: it needs
  optimisation; the system's static libraries carry no debug information, so they cannot
  satisfy this check for us);
- full RELRO: a GNU_RELRO segment, and BIND_NOW in the dynamically linked webhook. The launcher
  is static (no INTERP segment), except in sanitizer builds, which cannot link statically."""
import os
import re
import shutil
import subprocess
import unittest

WEBHOOK = os.environ.get("JK_WEBHOOK_BIN", "build/webhook/jailkeeper-webhook")
LAUNCH = os.environ.get("JK_LAUNCH_BIN", "build/launcher/jailkeeper-launch")
# Sanitizer (and fuzz) builds cannot link the launcher statically (launcher/CMakeLists.txt).
SANITIZED = os.environ.get("JK_SANITIZE", "OFF").upper() in ("ON", "1", "TRUE", "YES")
DEBUG = os.environ.get("JK_BUILD_TYPE", "") not in ("Release", "RelWithDebInfo", "MinSizeRel")
READELF = shutil.which("readelf")
OUR_SOURCES = re.compile(r"(^|/)(common|launchspec|webhook|launcher)/[^ ]*\.cpp$")
FORTIFIED_HEADERS = ("string_fortified.h", "unistd.h")


def readelf(*args):
    done = subprocess.run([READELF, "-W", *args], capture_output=True, text=True, check=True)
    return done.stdout


def our_compile_units(path):
    """(source name, producer) of each compile unit built from this repository's sources."""
    units, producer = [], None
    for line in readelf("--debug-dump=info", "--dwarf-depth=1", path).splitlines():
        if "DW_AT_producer" in line:
            producer = line.split("): ", 1)[-1]
        elif "DW_AT_name" in line and producer is not None:
            name = line.split("): ", 1)[-1].strip()
            if OUR_SOURCES.search(name) and not name.startswith("/usr/"):
                units.append((name, producer))
            producer = None
    return units


@unittest.skipUnless(READELF, "readelf (binutils) is not installed")
class Hardening(unittest.TestCase):
    def check_compiler_flags(self, path):
        units = our_compile_units(path)
        self.assertGreater(len(units), 10, f"{path}: no debug information of our sources")
        for flag in ("-fstack-protector-strong", "-fstack-clash-protection"):
            missing = [name for name, producer in units if flag not in producer.split()]
            self.assertEqual(missing, [], f"{path}: compiled without {flag}")

    def check_fortified(self, path):
        if DEBUG:
            return  # _FORTIFY_SOURCE needs optimisation; the Debug build does not set it
        lines = readelf("--debug-dump=rawline", path)
        # DWARF 5 line tables name the directory (.../bits) and the file in separate columns.
        found = [h for h in FORTIFIED_HEADERS if re.search(r"\b" + re.escape(h) + r"\b", lines)]
        self.assertIn("string_fortified.h", found, f"{path}: _FORTIFY_SOURCE did not reach our code")

    def test_webhook(self):
        self.check_compiler_flags(WEBHOOK)
        self.check_fortified(WEBHOOK)
        self.assertIn("GNU_RELRO", readelf("-l", WEBHOOK))
        self.assertRegex(readelf("-d", WEBHOOK), r"\(FLAGS\)\s+BIND_NOW|\(FLAGS_1\).*\bNOW\b")

    def test_launcher(self):
        segments = readelf("-l", LAUNCH)
        if not SANITIZED:
            self.assertNotIn("INTERP", segments, "the launcher must be static")
        self.assertIn("GNU_RELRO", segments)
        self.check_compiler_flags(LAUNCH)
        self.check_fortified(LAUNCH)


if __name__ == "__main__":
    unittest.main()
