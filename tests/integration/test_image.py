"""Issue 16: the container image, built offline and run under containerd the way the chart runs it.

setUpModule runs scripts/build-image.sh, what `make image` runs, on this build: BUILD/image/
jailkeeper.oci.tar. Then:

- ImageArchive: an OCI layout whose index names the chart's default image; config, files and
  labels are what the chart, the webhook's patch and the Dockerfile expect (user 65532, the
  webhook as entrypoint and on PATH, the static launcher where the init container runs it, every
  shared library the webhook loads with its Debian package record), and the labels say what it
  was built from (this checkout's commit), agreeing with the Dockerfile's.
- MultiArchIndex: scripts/build-image-index.sh (`make image-multiarch`) on this build and the
  arm64 cross build (`make arm64`: JK_ARM64_BUILD, default build-arm64; skipped, saying so,
  where there is none): one image index named like the image above, listing exactly
  linux/amd64 (the very manifest of `make image`) and linux/arm64, whose files are all arm64
  (the static launcher, the webhook, every shared library, the arm64 loader).
- UnderContainerd: a containerd started by the test imports the archive (`ctr images import`) and
  the containers run from the image it unpacked (`ctr images mount`), through `ctr run` (the runc
  shim), with the specs kubelet + containerd's CRI make (tests/support/cri_spec.py):
  (a) the webhook pod of the Deployment `helm template` renders (chart defaults: uid/gid 65532,
      read-only root, capabilities dropped, no_new_privs, RuntimeDefault seccomp; the config
      ConfigMap, the TLS Secret and the service account token mounted as kubelet mounts them) in
      a network namespace of its own, with a fake API server on the host end of the pod's veth as
      its in-cluster API. It becomes ready, answers an AdmissionReview over TLS from the host
      (certificate checked against the CA for the Service's DNS name), serves /metrics, and exits
      0 on SIGTERM.
  (b) the pod that review patched: its jailkeeper-init container (from the webhook's patch: the
      chart's image, `/jailkeeper-launch install /jailkeeper/bin`, uid 65532, read-only root, no
      capabilities, RuntimeDefault) installs the launcher into the emptyDir, and the agent
      container, from an image that holds nothing else, runs it: `jailkeeper-launch version`
      names the version and revision of the image's labels.

Privileged (root: containerd, mounts, network namespaces) and RUN_SERIAL (it adds network
namespaces and veth pairs). Skips, saying why, when not root, when a tool is missing, and in
sanitizer builds (the image holds the static release launcher, which they do not build)."""
import base64
import copy
import http.client
import json
import os
import re
import shutil
import ssl
import stat
import subprocess
import sys
import tarfile
import tempfile
import unittest
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "support"))
sys.path.insert(0, os.path.join(ROOT, "tests", "chart"))
sys.path.insert(0, HERE)

import containerd_env  # noqa: E402
import cri_spec  # noqa: E402
import k8s_render  # noqa: E402
import kube_pod  # noqa: E402
import oci_layout  # noqa: E402
import pod_image  # noqa: E402
import pod_network  # noqa: E402
import pod_runner  # noqa: E402
from fake_apiserver import FakeApiServer, apply_json_patch  # noqa: E402
from pki import Pki  # noqa: E402
from test_dockerfile import instructions, stages  # noqa: E402

BUILD = os.environ.get("JK_BUILD_DIR", os.path.join(ROOT, "build"))
ARM64_BUILD = os.environ.get("JK_ARM64_BUILD", os.path.join(ROOT, "build-arm64"))
MULTIARCH_ARCHIVE = os.path.join(BUILD, "image-multiarch", "jailkeeper.oci.tar")
MULTIARCH_LAYOUT = os.path.join(BUILD, "image-multiarch", "oci")
OCI_INDEX = "application/vnd.oci.image.index.v1+json"
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
ELF_MACHINES = {62: "x86-64", 183: "aarch64"}  # e_machine
ARCHIVE = os.path.join(BUILD, "image", "jailkeeper.oci.tar")
LAYOUT = os.path.join(BUILD, "image", "oci")
WEBHOOK = os.path.join(BUILD, "webhook", "jailkeeper-webhook")
AGENT_IMAGE = "registry.example.com/agent:1.0"
AGENT_NAMESPACE = "agents"
TOKEN = "jk-image-test-token"
START_TIMEOUT_S = 60
ANNOTATION_KEYS = {"org.opencontainers.image.source", "org.opencontainers.image.version",
                   "org.opencontainers.image.revision", "org.opencontainers.image.title"}


def read(*parts):
    with open(os.path.join(ROOT, *parts)) as f:
        return f.read()


class Image:
    """What setUpModule built and read: the layout (oci_layout.Layout), the chart's objects."""
    layout = None
    chart = None


def setUpModule():
    if os.environ.get("JK_SANITIZE", "").upper() in ("ON", "1", "TRUE", "YES"):
        raise unittest.SkipTest("sanitizer build: the image holds the static release launcher")
    if os.geteuid() != 0:
        raise unittest.SkipTest("the image build and containerd need root")
    for tool in ("umoci", "jq"):
        if shutil.which(tool) is None:
            raise unittest.SkipTest(f"{tool} is not installed (scripts/install-deps.sh --test)")
    done = subprocess.run([os.path.join(ROOT, "scripts", "build-image.sh"), BUILD],
                          capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        raise RuntimeError("scripts/build-image.sh failed:\n" + done.stderr)
    if done.stdout.strip().splitlines()[-1] != ARCHIVE:
        raise RuntimeError(f"build-image.sh printed {done.stdout!r}, not the fixed path {ARCHIVE}")
    Image.layout = oci_layout.Layout(LAYOUT)


def layer_file(path):
    """The bytes of `path` in the image's layer."""
    return Image.layout.file(path)


def dockerfile_runtime():
    """The Dockerfile's runtime stage as {KEYWORD: [args...]} with the global ARG defaults."""
    text = read("Dockerfile")
    steps = {}
    for keyword, args in stages(text)[-1]["steps"]:
        steps.setdefault(keyword, []).append(args)
    defaults = {}
    for keyword, args in instructions(text):
        if keyword == "FROM":
            break
        if keyword == "ARG" and "=" in args:
            name, _, value = args.partition("=")
            defaults[name] = value
    return steps, defaults


def dockerfile_labels():
    """LABEL key="value" pairs of the runtime stage, ${ARG} left as written."""
    steps, _ = dockerfile_runtime()
    return dict(re.findall(r'([\w.-]+)="([^"]*)"', " ".join(steps.get("LABEL", []))))


def render_chart():
    """The chart's objects as `helm template` renders them with the default values (once)."""
    if Image.chart is None:
        Image.chart = _render_chart()
    return Image.chart


def _render_chart():
    helm, kubectl = k8s_render.find_tool("helm"), k8s_render.find_tool("kubectl")
    if helm is None or kubectl is None:
        raise unittest.SkipTest("helm/kubectl not installed (scripts/install-k8s-tools.sh)")
    done = k8s_render.helm_template(helm)
    if done.returncode != 0:
        raise RuntimeError("helm template: " + done.stderr)
    return k8s_render.yaml_to_objects(kubectl, done.stdout)


def git_head():
    done = subprocess.run(["git", "-C", ROOT, "rev-parse", "HEAD"], capture_output=True,
                          text=True)
    return done.stdout.strip() if done.returncode == 0 else None


class ImageArchive(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.objects = render_chart()
        cls.deployment = next(o for o in cls.objects if o["kind"] == "Deployment")
        cls.webhook = cls.deployment["spec"]["template"]["spec"]["containers"][0]
        cls.labels = Image.layout.config["config"]["Labels"]

    def test_the_index_names_the_charts_default_image(self):
        entry = Image.layout.index["manifests"][0]
        self.assertEqual(len(Image.layout.index["manifests"]), 1)
        self.assertEqual(entry["annotations"]["io.containerd.image.name"], self.webhook["image"])
        self.assertEqual(entry["annotations"]["org.opencontainers.image.ref.name"],
                         self.webhook["image"].rsplit(":", 1)[1])
        with open(os.path.join(LAYOUT, "oci-layout")) as f:
            self.assertEqual(json.load(f), {"imageLayoutVersion": "1.0.0"})
        with tarfile.open(ARCHIVE) as t:  # the archive is that layout
            self.assertEqual(sorted(n for n in t.getnames() if "/" not in n),
                             ["blobs", "index.json", "oci-layout"])

    def test_config_runs_the_webhook_as_the_charts_user_like_the_dockerfile(self):
        config = Image.layout.config["config"]
        steps, _ = dockerfile_runtime()
        self.assertEqual(config["User"], steps["USER"][0])
        self.assertEqual(config["User"], "65532:65532")
        pod_sc = self.deployment["spec"]["template"]["spec"]["securityContext"]
        self.assertEqual((pod_sc["runAsUser"], pod_sc["runAsGroup"]), (65532, 65532))
        self.assertEqual(config["Entrypoint"], json.loads(steps["ENTRYPOINT"][0]))
        self.assertEqual(config["Cmd"], json.loads(steps["CMD"][0]))
        # The chart's `command: [jailkeeper-webhook]` is found on PATH; the CRI model's
        # environment (cri_spec.DEFAULT_PATH) is then exactly the image's.
        self.assertEqual(self.webhook["command"], ["jailkeeper-webhook"])
        self.assertEqual(config["Env"], ["PATH=" + cri_spec.DEFAULT_PATH])
        # The binaries' architecture (Debian's names for amd64 and arm64 are OCI's).
        arch = subprocess.run(["dpkg", "--print-architecture"], capture_output=True,
                              text=True).stdout.strip()
        self.assertEqual((Image.layout.config["os"], Image.layout.config["architecture"]), ("linux", arch))

    def test_the_files_are_where_the_dockerfile_puts_them(self):
        commands = [c.strip() for k, a in stages(read("Dockerfile"))[0]["steps"] if k == "RUN"
                    for c in a.split("&&")]
        installed = {c.split()[-1].removeprefix("/out") for c in commands
                     if c.startswith("install ") and "/out/" in c}
        links = {tuple(c.split()[-2:]) for c in commands if c.startswith("ln -s ")}
        self.assertEqual(installed, {"/jailkeeper-webhook", "/jailkeeper-launch"})
        for path in installed:
            with self.subTest(path=path):
                member = Image.layout.members[path.strip("/")]
                self.assertTrue(member.isreg())
                self.assertEqual((stat.S_IMODE(member.mode), member.uid, member.gid),
                                 (0o755, 0, 0))
        self.assertEqual(links, {("/jailkeeper-webhook", "/out/usr/local/bin/jailkeeper-webhook")})
        link = Image.layout.members["usr/local/bin/jailkeeper-webhook"]
        self.assertEqual((link.issym(), link.linkname), (True, "/jailkeeper-webhook"))
        self.assertIn("/usr/local/bin", cri_spec.DEFAULT_PATH.split(":"))

    def test_the_same_binaries_give_the_same_image(self):
        # Every timestamp is the commit's (SOURCE_DATE_EPOCH), names sorted, owners numeric.
        again = subprocess.run([os.path.join(ROOT, "scripts", "build-image.sh"), BUILD],
                               capture_output=True, text=True, timeout=300)
        self.assertEqual(again.returncode, 0, again.stderr)
        with open(os.path.join(LAYOUT, "index.json")) as f:
            self.assertEqual(json.load(f), Image.layout.index)

    def test_the_launcher_is_static_and_stripped(self):
        with tempfile.NamedTemporaryFile() as f:
            f.write(layer_file("jailkeeper-launch"))
            f.flush()
            self.assertFalse(pod_image.dynamically_linked(f.name))
            sections = subprocess.run(["readelf", "-S", f.name], capture_output=True,
                                      text=True).stdout
            self.assertNotIn(".debug_info", sections)
            self.assertNotIn(".symtab", sections)

    def test_every_library_the_webhook_loads_is_there_with_its_package_record(self):
        out = subprocess.run(["ldd", WEBHOOK], capture_output=True, text=True).stdout
        libs = re.findall(r"=> (/\S+)", out) + re.findall(r"^\s*(/\S+)", out, re.M)
        self.assertGreater(len(libs), 3, out)
        records = {name.split("/")[-1]: layer_file(name).decode()
                   for name in Image.layout.members if name.startswith("var/lib/dpkg/status.d/")
                   and Image.layout.members[name].isreg()}
        # dpkg's file lists name the path or its merged-/usr alias; one lookup for all.
        aliases = {lib: lib.removeprefix("/usr") if lib.startswith("/usr/") else "/usr" + lib
                   for lib in libs}
        listed = subprocess.run(["dpkg-query", "-S", *libs, *aliases.values()],
                                capture_output=True, text=True).stdout
        owners = {line.rsplit(": ", 1)[1]: line.split(":")[0] for line in listed.splitlines()}
        for lib in libs:
            with self.subTest(lib=lib):
                self.assertTrue(Image.layout.members[lib.strip("/")].isreg())
                package = owners.get(lib) or owners.get(aliases[lib])
                self.assertIn(package, records)
                self.assertIn(f"Package: {package}\n", records[package])
                self.assertIn("Status: install ok installed\n", records[package])
        os_release = layer_file("etc/os-release").decode()
        self.assertIn("ID=debian", os_release)
        self.assertIn("nonroot:x:65532:65532:", layer_file("etc/passwd").decode())

    def test_labels_say_what_it_was_built_from_like_the_dockerfiles(self):
        self.assertEqual(set(self.labels), ANNOTATION_KEYS)
        self.assertEqual(Image.layout.manifest["annotations"], self.labels)
        project = re.search(r"project\(jailkeeper VERSION (\S+) ", read("CMakeLists.txt"))[1]
        self.assertEqual(self.labels["org.opencontainers.image.version"], project)
        self.assertIn(f'appVersion: "{project}"', read("charts", "jailkeeper", "Chart.yaml"))
        self.assertIn(f"sources: [{self.labels['org.opencontainers.image.source']}]",
                      read("charts", "jailkeeper", "Chart.yaml"))
        revision = self.labels["org.opencontainers.image.revision"]
        self.assertRegex(revision, r"^[0-9a-f]{40}(-dirty)?$")
        head = git_head()
        if head is not None:
            self.assertEqual(revision.removesuffix("-dirty"), head,
                             "the build is not of this checkout's commit: rebuild")
        # The Dockerfile labels the same keys; its values are the same, or the build arguments
        # (VERSION defaulting to the project version, REVISION passed by whoever builds it).
        _, defaults = dockerfile_runtime()
        self.assertEqual(defaults.get("VERSION"), project)
        docker = dockerfile_labels()
        self.assertEqual(set(docker), ANNOTATION_KEYS)
        for key, value in docker.items():
            with self.subTest(label=key):
                if value in ("${VERSION}", "${REVISION}"):
                    continue
                self.assertEqual(value, self.labels[key])
        self.assertEqual(docker["org.opencontainers.image.version"], "${VERSION}")
        self.assertEqual(docker["org.opencontainers.image.revision"], "${REVISION}")


# ---- under containerd -----------------------------------------------------------------------

def elf_machine(data):
    """The CPU of an ELF file's bytes ("aarch64", "x86-64"), None for anything else."""
    if data[:4] != b"\x7fELF":
        return None
    return ELF_MACHINES.get(int.from_bytes(data[18:20], "little"), "other")


class MultiArchIndex(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        for binary in ("launcher/jailkeeper-launch", "webhook/jailkeeper-webhook"):
            if not os.path.exists(os.path.join(ARM64_BUILD, binary)):
                raise unittest.SkipTest(f"no arm64 build in {ARM64_BUILD} (`make arm64` makes it)")
        with open(os.path.join(BUILD, "build-info.env")) as f:
            native = f.read()
        with open(os.path.join(ARM64_BUILD, "build-info.env")) as f:
            arm64 = f.read()
        if native != arm64:
            raise unittest.SkipTest(f"{ARM64_BUILD} was built from another revision than {BUILD} "
                                    "(`make arm64` rebuilds it)")
        done = subprocess.run([os.path.join(ROOT, "scripts", "build-image-index.sh"), BUILD,
                               ARM64_BUILD], capture_output=True, text=True, timeout=300)
        if done.returncode != 0:
            raise RuntimeError("scripts/build-image-index.sh failed:\n" + done.stderr)
        if done.stdout.strip().splitlines()[-1] != MULTIARCH_ARCHIVE:
            raise RuntimeError(f"build-image-index.sh printed {done.stdout!r}, "
                               f"not the fixed path {MULTIARCH_ARCHIVE}")
        with open(os.path.join(MULTIARCH_LAYOUT, "index.json")) as f:
            cls.top = json.load(f)
        digest = cls.top["manifests"][0]["digest"]
        with open(os.path.join(MULTIARCH_LAYOUT, "blobs", *digest.split(":"))) as f:
            cls.index = json.load(f)
        cls.by_platform = {f"{m['platform']['os']}/{m['platform']['architecture']}": m
                           for m in cls.index["manifests"]}

    def test_one_index_named_like_the_single_arch_image(self):
        self.assertEqual(len(self.top["manifests"]), 1)
        entry = self.top["manifests"][0]
        self.assertEqual(entry["mediaType"], OCI_INDEX)
        self.assertEqual(self.index["mediaType"], OCI_INDEX)
        single = Image.layout.index["manifests"][0]["annotations"]
        for key in ("io.containerd.image.name", "org.opencontainers.image.ref.name"):
            self.assertEqual(entry["annotations"][key], single[key])
        self.assertEqual(self.index["annotations"]["org.opencontainers.image.revision"],
                         Image.layout.manifest["annotations"]["org.opencontainers.image.revision"])
        with tarfile.open(MULTIARCH_ARCHIVE) as t:
            self.assertEqual(sorted(n for n in t.getnames() if "/" not in n),
                             ["blobs", "index.json", "oci-layout"])

    def test_it_lists_exactly_amd64_and_arm64(self):
        self.assertEqual(len(self.index["manifests"]), 2)
        self.assertEqual(set(self.by_platform), {"linux/amd64", "linux/arm64"})
        for platform, entry in self.by_platform.items():
            with self.subTest(platform=platform):
                self.assertEqual(entry["mediaType"], OCI_MANIFEST)
                image = oci_layout.Layout(MULTIARCH_LAYOUT, entry["digest"])
                self.assertEqual(f"{image.config['os']}/{image.config['architecture']}", platform)

    def test_amd64_is_the_image_make_image_builds(self):
        self.assertEqual(self.by_platform["linux/amd64"]["digest"],
                         Image.layout.index["manifests"][0]["digest"])

    def test_every_file_of_the_arm64_image_is_arm64(self):
        image = oci_layout.Layout(MULTIARCH_LAYOUT, self.by_platform["linux/arm64"]["digest"])
        elves = {path: elf_machine(data) for path, data in image.files.items()
                 if elf_machine(data) is not None}
        self.assertIn("jailkeeper-launch", elves)
        self.assertIn("jailkeeper-webhook", elves)
        self.assertTrue(any(p.endswith("ld-linux-aarch64.so.1") for p in elves), sorted(elves))
        self.assertTrue(any("libssl.so" in p for p in elves), sorted(elves))
        self.assertEqual({p for p, m in elves.items() if m != "aarch64"}, set())
        with tempfile.NamedTemporaryFile() as f:
            f.write(image.file("jailkeeper-launch"))
            f.flush()
            self.assertFalse(pod_image.dynamically_linked(f.name))
        self.assertEqual(image.config["config"]["Entrypoint"], ["/jailkeeper-webhook"])
        self.assertEqual(image.config["config"]["User"], "65532:65532")


def agent_review():
    pod = {"apiVersion": "v1", "kind": "Pod",
           "metadata": {"name": "agent", "namespace": AGENT_NAMESPACE, "uid": str(uuid.uuid4()),
                        "annotations": {"jailkeeper.io/containers": "agent"}},
           "spec": {"restartPolicy": "Never",
                    "nodeSelector": {"eks.amazonaws.com/nodegroup": "general"},
                    "containers": [{"name": "agent", "image": AGENT_IMAGE,
                                    "command": ["/agent"]}]}}
    return {"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "request": {
        "uid": str(uuid.uuid4()), "kind": {"group": "", "version": "v1", "kind": "Pod"},
        "resource": {"group": "", "version": "v1", "resource": "pods"},
        "namespace": AGENT_NAMESPACE, "operation": "CREATE",
        "userInfo": {"username": "system:serviceaccount:ci:deployer"}, "object": pod}}


class Env:
    work = containerd = runner = image_dir = None
    networks = []
    api = None


class UnderContainerd(unittest.TestCase):
    """(a) in setUpClass: start the webhook pod, wait until ready, send the review, read
    /metrics, stop it; the tests then judge what happened. (b) in its own test."""

    @classmethod
    def setUpClass(cls):
        for tool in ("containerd", "ctr", "runc", "ip"):
            if shutil.which(tool) is None:
                raise unittest.SkipTest(f"{tool} is not installed (scripts/install-deps.sh --test)")
        cls.objects = render_chart()
        pod_network.remove_stale_namespaces()
        Env.work = tempfile.mkdtemp(prefix="jk-image-")
        os.chmod(Env.work, 0o755)
        try:
            cls._start_containerd()
            cls._webhook_pod()
        except BaseException:
            cls._clean_up()
            raise

    @classmethod
    def tearDownClass(cls):
        cls._clean_up()

    @classmethod
    def _clean_up(cls):
        if Env.api is not None:
            Env.api.stop()
        if Env.containerd is not None:
            if Env.image_dir is not None:
                Env.containerd.ctr("images", "unmount", "--rm", Env.image_dir)
            Env.containerd.close()
        for net in Env.networks:
            net.close()
        if Env.work is not None:
            subprocess.run(["umount", "-R", "--quiet"] + [
                os.path.join(dirpath, d) for dirpath, dirs, _ in os.walk(Env.work)
                for d in dirs if d in ("merged", "image")], capture_output=True)
            shutil.rmtree(Env.work, ignore_errors=True)

    @classmethod
    def _start_containerd(cls):
        Env.containerd = containerd_env.Containerd(Env.work).start()
        cls.imported = Env.containerd.ctr("images", "import", ARCHIVE)
        if cls.imported.returncode != 0:
            raise RuntimeError("ctr images import: " + cls.imported.stderr)
        cls.chart_image = next(o for o in cls.objects if o["kind"] == "Deployment")[
            "spec"]["template"]["spec"]["containers"][0]["image"]
        Env.image_dir = os.path.join(Env.work, "image")
        os.makedirs(Env.image_dir)
        mounted = Env.containerd.ctr("images", "mount", cls.chart_image, Env.image_dir)
        if mounted.returncode != 0:
            Env.image_dir = None
            raise RuntimeError(f"ctr images mount {cls.chart_image}: {mounted.stderr}")
        # The agent's image: nothing but the directories every image has.
        agent_dir = os.path.join(Env.work, "agent-image")
        for d in ("etc", "proc", "sys", "dev", "tmp"):
            os.makedirs(os.path.join(agent_dir, d))
        cls.agent_image_dir = agent_dir

    @classmethod
    def _webhook_pod(cls):
        deployment = next(o for o in cls.objects if o["kind"] == "Deployment")
        service = next(o for o in cls.objects if o["kind"] == "Service"
                       and o["metadata"]["name"] == deployment["metadata"]["name"])
        namespace = deployment["metadata"]["namespace"]
        cls.service_name = f"{service['metadata']['name']}.{namespace}.svc"
        net = pod_network.PodNetwork(1).__enter__()
        Env.networks.append(net)
        cls.net = net
        os.makedirs(os.path.join(Env.work, "pki"))
        pki = Pki(os.path.join(Env.work, "pki"))
        cls.ca = pki.ca_cert
        api_cert, api_key, _ = pki.issue("apiserver", sans=(f"IP:{net.host_ip}",))
        Env.api = FakeApiServer(api_cert, api_key, token=TOKEN, host=net.host_ip).start()
        with open(os.path.join(ROOT, "deploy", "examples", "nodes.json")) as f:
            for node in json.load(f)["items"]:
                Env.api.add("Node", node)
        for name, labels in [(AGENT_NAMESPACE, {"jailkeeper.io/inject": "enabled"}),
                             (namespace, {})]:
            Env.api.add("Namespace", {"apiVersion": "v1", "kind": "Namespace",
                                      "metadata": {"name": name, "labels": labels}})
        tls_cert, tls_key, _ = pki.issue("webhook", sans=(f"DNS:{cls.service_name}",))
        template = deployment["spec"]["template"]
        pod = {"apiVersion": "v1", "kind": "Pod",
               "metadata": {"name": deployment["metadata"]["name"] + "-test",
                            "namespace": namespace, "uid": str(uuid.uuid4()),
                            "labels": template["metadata"]["labels"],
                            "annotations": template["metadata"].get("annotations", {})},
               "spec": copy.deepcopy(template["spec"])}
        kube_pod.add_service_account_volume(pod)
        volumes = {v["name"]: v for v in pod["spec"]["volumes"]}
        configmap = next(o for o in cls.objects if o["kind"] == "ConfigMap" and
                         o["metadata"]["name"] == volumes["config"]["configMap"]["name"])

        def contents(path):
            with open(path, "rb") as f:
                return f.read()
        objects = {
            ("ConfigMap", configmap["metadata"]["name"]): configmap["data"],
            ("Secret", volumes["tls"]["secret"]["secretName"]): {
                "tls.crt": contents(tls_cert), "tls.key": contents(tls_key),
                "ca.crt": contents(pki.ca_cert)},
            ("ConfigMap", "kube-root-ca.crt"): {"ca.crt": contents(pki.ca_cert)},
            ("ServiceAccountToken", pod["spec"]["serviceAccountName"]): TOKEN}
        # kubelet's service environment for the in-cluster API.
        service_env = [f"KUBERNETES_SERVICE_HOST={net.host_ip}",
                       f"KUBERNETES_SERVICE_PORT={Env.api.port}"]
        Env.runner = pod_runner.PodRunner(
            Env.containerd, Env.containerd.runtime_default, None, Env.work, "/nonexistent",
            extra_env=service_env,
            images={cls.chart_image: Env.image_dir, AGENT_IMAGE: cls.agent_image_dir})
        cls.webhook_pod = Env.runner.pod(pod, net, objects)
        container = pod["spec"]["containers"][0]
        cls.ports = {p["name"]: p["containerPort"] for p in container["ports"]}
        running = Env.runner.start_container(cls.webhook_pod, container, cri_spec.NodeRuntime(),
                                             "webhook")
        cls.webhook_spec = running.spec
        try:
            cls.listening = cls._wait_listening(running)
            cls.readyz = cls._ready(net.pod_ip)
            cls.review = agent_review()
            cls.answer = cls._post_review(net.pod_ip, cls.review)
            cls.metrics = cls._get_metrics(net.pod_ip)
        finally:
            cls.stopped = Env.runner.stop_container(running)

    @classmethod
    def _wait_listening(cls, running):
        listening = {}

        def listener(line):
            try:
                record = json.loads(line)
            except ValueError:
                return False
            if record.get("msg") == "listening":
                listening[record["listener"]] = record["addr"]
            return {"webhook", "metrics"} <= set(listening)
        if running.process.wait_for_line(listener, START_TIMEOUT_S) is None:
            raise RuntimeError("the webhook container did not start listening:\n" +
                               "".join(running.process.stderr[-30:]))
        return listening

    @classmethod
    def _context(cls):
        return ssl.create_default_context(cafile=cls.ca)

    @classmethod
    def _ready(cls, address):
        """The readinessProbe (GET /readyz over HTTPS), once the inventory has been listed: the
        webhook watches after its first lists, so the open watches are the event to await."""
        if not Env.api.wait_for_watches(3, timeout=START_TIMEOUT_S):
            raise RuntimeError("the webhook did not list and watch the fake API server: "
                               f"{Env.api.requests[-5:]}")
        conn = kube_pod.HttpsTo(address, cls.ports["https"], cls.service_name, cls._context())
        conn.request("GET", "/readyz")
        response = conn.getresponse()
        body = response.read()
        cls.server_cert = conn.sock.getpeercert()
        conn.close()
        return response.status, body

    @classmethod
    def _post_review(cls, address, review):
        conn = kube_pod.HttpsTo(address, cls.ports["https"], cls.service_name, cls._context())
        conn.request("POST", "/mutate", body=json.dumps(review),
                     headers={"Content-Type": "application/json"})
        response = conn.getresponse()
        body = response.read()
        conn.close()
        return response.status, json.loads(body)

    @classmethod
    def _get_metrics(cls, address):
        conn = http.client.HTTPConnection(address, cls.ports["metrics"], timeout=10)
        conn.request("GET", "/metrics")
        response = conn.getresponse()
        body = response.read().decode()
        conn.close()
        return response.status, body

    # (a) ------------------------------------------------------------------------------------

    def test_the_archive_imports_as_the_charts_image(self):
        self.assertIn(self.chart_image, self.imported.stdout)
        listed = Env.containerd.ctr("images", "ls", "-q").stdout.split()
        self.assertEqual(listed, [self.chart_image])

    def test_the_webhook_ran_under_the_charts_security_context(self):
        spec = self.webhook_spec
        self.assertEqual(spec["process"]["args"][0], "jailkeeper-webhook")
        self.assertEqual((spec["process"]["user"]["uid"], spec["process"]["user"]["gid"]),
                         (65532, 65532))
        self.assertTrue(spec["root"]["readonly"])
        self.assertEqual(spec["process"]["capabilities"],
                         {"bounding": [], "effective": [], "permitted": []})
        self.assertTrue(spec["process"]["noNewPrivileges"])
        self.assertEqual(spec["linux"]["seccomp"]["defaultAction"], "SCMP_ACT_ERRNO")
        mounts = {m["destination"]: m for m in spec["mounts"]}
        for path in ("/etc/jailkeeper/tls", "/etc/jailkeeper/config", kube_pod.SA_DIR):
            self.assertIn("ro", mounts[path]["options"])

    def test_it_listens_where_the_chart_points_the_service_and_probes(self):
        self.assertEqual(self.listening, {"webhook": f"0.0.0.0:{self.ports['https']}",
                                          "metrics": f"0.0.0.0:{self.ports['metrics']}"})
        self.assertEqual(self.readyz[0], 200, self.readyz[1])
        # The certificate it serves is the Secret's, valid for the Service's name.
        names = [v for k, v in self.server_cert["subjectAltName"] if k == "DNS"]
        self.assertEqual(names, [self.service_name])

    def test_it_answers_a_review_over_tls_with_a_patch(self):
        status, answer = self.answer
        self.assertEqual(status, 200)
        response = answer["response"]
        self.assertEqual(response["uid"], self.review["request"]["uid"])
        self.assertTrue(response["allowed"], response)
        self.assertEqual(response["patchType"], "JSONPatch")
        patched = apply_json_patch(self.review["request"]["object"],
                                   json.loads(base64.b64decode(response["patch"])))
        inits = [c["name"] for c in patched["spec"].get("initContainers", [])]
        self.assertIn("jailkeeper-init", inits)

    def test_it_serves_metrics_that_counted_the_review(self):
        status, body = self.metrics
        self.assertEqual(status, 200)
        counted = re.findall(r"^jailkeeper_reviews_total\{[^}]*\} (\d+)", body, re.M)
        self.assertEqual(sum(int(n) for n in counted), 1, body[:2000])

    def test_it_exits_0_on_sigterm(self):
        self.assertFalse(self.stopped.timed_out, self.stopped.stderr[-2000:])
        self.assertEqual(self.stopped.exit_code, 0, self.stopped.stderr[-2000:])
        self.assertIn('"msg":"stopped"', self.stopped.stderr)

    # (b) ------------------------------------------------------------------------------------

    def test_the_init_container_installs_the_launcher_that_the_agent_container_runs(self):
        _, answer = self.answer
        patched = apply_json_patch(self.review["request"]["object"],
                                   json.loads(base64.b64decode(answer["response"]["patch"])))
        init = next(c for c in patched["spec"]["initContainers"]
                    if c["name"] == "jailkeeper-init")
        self.assertEqual(init["image"], self.chart_image)
        self.assertEqual(init["command"], ["/jailkeeper-launch", "install", "/jailkeeper/bin"])
        net = pod_network.PodNetwork(2).__enter__()
        Env.networks.append(net)
        pod = Env.runner.pod(patched, net)
        node = cri_spec.NodeRuntime()  # the AL2023 node group: kubelet seccompDefault off
        installed = Env.runner.run_container(pod, init, node, "init")
        self.assertEqual(installed.result.exit_code, 0, installed.result.stderr)
        user = installed.spec["process"]["user"]
        self.assertEqual((user["uid"], user["gid"]), (65532, 65532))  # gid: the image's passwd
        self.assertTrue(installed.spec["root"]["readonly"])
        self.assertEqual(installed.spec["process"]["capabilities"]["bounding"], [])
        self.assertIn("seccomp", installed.spec["linux"])
        bin_mount = next(m for m in init["volumeMounts"] if m["mountPath"] == "/jailkeeper/bin")
        copy_path = os.path.join(pod.volumes[bin_mount["name"]], "jailkeeper-launch")
        info = os.stat(copy_path)
        self.assertEqual((stat.S_IMODE(info.st_mode), info.st_uid), (0o755, 65532))
        with open(copy_path, "rb") as f:
            self.assertEqual(f.read(), layer_file("jailkeeper-launch"))

        agent = next(c for c in patched["spec"]["containers"] if c["name"] == "agent")
        ran = Env.runner.run_container(pod, agent, node, "agent",
                                       command=["/jailkeeper/bin/jailkeeper-launch", "version"])
        self.assertEqual(ran.result.exit_code, 0, ran.result.stderr)
        labels = Image.layout.config["config"]["Labels"]
        self.assertRegex(ran.result.stdout, "^jailkeeper-launch " + re.escape(
            f"{labels['org.opencontainers.image.version']} (revision "
            f"{labels['org.opencontainers.image.revision']}, launch spec v") + r"\d+\)\n$")


if __name__ == "__main__":
    unittest.main(verbosity=2)
