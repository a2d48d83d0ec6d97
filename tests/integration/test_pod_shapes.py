"""Issue 12: pod shapes x node profiles under the real container runtime.

For every cell the pod (agent container `command: [/probe, ...]`) goes through the real
`jailkeeper-webhook inject` with the profile's nodes and config, and then:
- refused at admission -> "refused" (the message is recorded);
- left alone at admission -> "skipped" (the reason is recorded);
- patched (with or without warnings) -> the pod runs the way kubelet + containerd 1.6 + runc run
  it (tests/support/cri_spec.py): init container `jailkeeper-init` installs the launcher into the
  emptyDir, then the agent container runs the launcher with the probe, and the same container
  spec runs the probe without the launcher (the baseline). The cell is "jailed" only if the probe
  has no capability in any set, no_new_privs, the allowed GET returned the upstream's body, the
  denied GET got the proxy's 403, neither a direct TCP connection nor a UDP datagram reached the
  upstream, mount/unshare/raw sockets are refused, and nothing of /proc or /sys is more visible,
  readable or writable than in the baseline (tests/support/pod_verdict.py).
  Otherwise: "EXPOSED" when the jailed agent ran and saw more than the container alone or got
  traffic past the proxy; "warned" when the webhook warned at admission; else "SILENT FAILURE".

The test fails when any cell is a silent failure, an exposure or a harness error, and prints the
whole matrix (cell -> grant -> result); JK_POD_SHAPES_TABLE=FILE also writes it to FILE.
JK_POD_SHAPES_ONLY=REGEX runs only the matching cells ("PROFILE/SHAPE");
JK_POD_SHAPES_RUNTIME=containerd runs the containers through `ctr run` instead of runc directly.

Privileged: root, containerd + runc (Debian), `ip netns`. Node properties this machine cannot
take on (an old kernel without Landlock; user.max_user_namespaces=0, a global sysctl that needs
CAP_SYS_RESOURCE) are stand-ins in each container's seccomp filter (cri_spec.NodeRuntime).
ctest runs it RUN_SERIAL: it adds and removes network namespaces and veth pairs, which other
tests compare before and after."""
import dataclasses
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import traceback
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "support"))

import containerd_env  # noqa: E402
import cri_spec  # noqa: E402
import pod_network  # noqa: E402
import pod_runner  # noqa: E402
import pod_verdict  # noqa: E402
import runc_runtime  # noqa: E402
from cri_spec import NodeRuntime  # noqa: E402

WEBHOOK = os.environ.get("JK_WEBHOOK_BIN", os.path.join(ROOT, "build/webhook/jailkeeper-webhook"))
LAUNCH = os.environ.get("JK_LAUNCH_BIN", os.path.join(ROOT, "build/launcher/jailkeeper-launch"))
PROBE_SRC = os.environ.get("JK_POD_PROBE_SRC", os.path.join(ROOT, "tests/support/pod_probe.c"))
NODE_FIXTURES = os.path.join(ROOT, "tests", "fixtures", "nodes")
NAMESPACE = "agents"
LOCALHOST_PROFILE = "profiles/containerd-default.json"
INJECT_TIMEOUT_S = 60
STDERR_LINES = 6
AUDITED_JAIL = re.compile(r'"jail":"([a-z]+)"')  # in the launcher's audit lines


# ---- node profiles: THE one place that says what each profile is --------------------------

@dataclasses.dataclass(frozen=True)
class NodeProfile:
    fixture: str               # tests/fixtures/nodes/FILE: the one node of the NodeList
    kernel: str | None         # overrides the node's status.nodeInfo.kernelVersion
    config: str                # the webhook config (YAML); the test appends the policy
    scheduling: dict           # pod spec fields that place the pod on that node
    runtime: NodeRuntime       # kubelet seccompDefault; Landlock; user namespaces


PROFILES = {
    # Amazon Linux 2023 managed node group: user namespaces on, kubelet seccompDefault off.
    "al2023": NodeProfile(
        "al2023.json", None, "", {"nodeSelector": {"eks.amazonaws.com/nodegroup": "ng-al2023"}},
        NodeRuntime(seccomp_default=False)),
    # Bottlerocket (Karpenter): user namespaces on; Coder's docs say its default seccomp blocks
    # the clones user namespaces need, so kubelet seccompDefault is assumed on.
    # TODO(lead): the webhook's per-pool/OS seccompDefault knob goes into `config` here.
    "bottlerocket-a": NodeProfile(
        "bottlerocket.json", None, "bottlerocketGrant: seccomp-unconfined\n",
        {"nodeSelector": {"karpenter.sh/nodepool": "default"}},
        NodeRuntime(seccomp_default=True)),
    "bottlerocket-b": NodeProfile(
        "bottlerocket.json", None, "bottlerocketGrant: sys-admin\n",
        {"nodeSelector": {"karpenter.sh/nodepool": "default"}},
        NodeRuntime(seccomp_default=True)),
    # EKS Auto Mode: user namespaces off (user.max_user_namespaces=0), seccompDefault on.
    "eks-auto": NodeProfile(
        "eks-auto.json", None, "", {"nodeSelector": {"eks.amazonaws.com/compute-type": "auto"}},
        NodeRuntime(seccomp_default=True, user_namespaces=False)),
    # Fargate on a 6.12 kernel (Landlock ABI >= 4); kubelet seccompDefault off.
    "fargate-landlock": NodeProfile(
        "fargate.json", "6.12.55-76.137.amzn2023.x86_64", "",
        {"schedulerName": "fargate-scheduler"}, NodeRuntime(seccomp_default=False)),
    # Fargate on a 5.10 kernel: no Landlock (landlock_* answer ENOSYS through seccomp).
    "fargate-no-landlock": NodeProfile(
        "fargate.json", "5.10.233-224.894.amzn2.x86_64", "",
        {"schedulerName": "fargate-scheduler"},
        NodeRuntime(seccomp_default=False, landlock=False)),
}


# ---- pod shapes ---------------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class Shape:
    pod: dict = dataclasses.field(default_factory=dict)        # pod securityContext
    container: dict | None = None                              # container securityContext
    tmp_volume: bool = False                                   # an emptyDir at /tmp


DROP_ALL = {"drop": ["ALL"]}
SHAPES = {
    "no-securityContext": Shape(),
    "root-explicit": Shape(container={"runAsUser": 0, "runAsNonRoot": False}),
    "root-drop-all": Shape(container={"capabilities": DROP_ALL}),
    "root-drop-all-add-net-admin": Shape(
        container={"capabilities": {"drop": ["ALL"], "add": ["NET_ADMIN"]}}),
    "root-drop-all-add-net-bind": Shape(
        container={"capabilities": {"drop": ["ALL"], "add": ["NET_BIND_SERVICE"]}}),
    "root-no-escalation": Shape(container={"allowPrivilegeEscalation": False}),
    "non-root": Shape(container={"runAsUser": 1000}),
    "non-root-drop-all-no-escalation": Shape(
        container={"runAsUser": 1000, "capabilities": DROP_ALL,
                   "allowPrivilegeEscalation": False}),
    "pod-runtime-default": Shape(pod={"seccompProfile": {"type": "RuntimeDefault"}}),
    "container-runtime-default": Shape(container={"seccompProfile": {"type": "RuntimeDefault"}}),
    "pod-unconfined": Shape(pod={"seccompProfile": {"type": "Unconfined"}}),
    "restricted": Shape(
        pod={"runAsNonRoot": True, "runAsUser": 1000, "seccompProfile": {"type": "RuntimeDefault"}},
        container={"allowPrivilegeEscalation": False, "capabilities": DROP_ALL}),
    "read-only-rootfs": Shape(container={"readOnlyRootFilesystem": True}),
    "read-only-rootfs-tmp-volume": Shape(container={"readOnlyRootFilesystem": True},
                                         tmp_volume=True),
    "privileged": Shape(container={"privileged": True}),
    "localhost-seccomp": Shape(container={"seccompProfile": {
        "type": "Localhost", "localhostProfile": LOCALHOST_PROFILE}}),
}


def make_pod(name, profile, shape, probe_args):
    container = {"name": "agent", "image": "registry.example.com/agent:1.0",
                 "command": ["/probe", *probe_args]}
    if shape.container is not None:
        container["securityContext"] = json.loads(json.dumps(shape.container))
    spec = {**json.loads(json.dumps(profile.scheduling)), "restartPolicy": "Never",
            "containers": [container]}
    if shape.pod:
        spec["securityContext"] = json.loads(json.dumps(shape.pod))
    if shape.tmp_volume:
        spec["volumes"] = [{"name": "tmp", "emptyDir": {}}]
        container["volumeMounts"] = [{"name": "tmp", "mountPath": "/tmp"}]
    return {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": name, "namespace": NAMESPACE, "labels": {"app": "agent"}},
            "spec": spec}


# ---- module fixtures ----------------------------------------------------------------------

class Env:
    """What setUpModule builds once: the image, containerd, the runtime, the runner."""
    work = None
    containerd = None
    runtime = None
    runner = None


def setUpModule():
    if os.geteuid() != 0:
        raise unittest.SkipTest("the pod-shape matrix must run as root (containerd, runc, netns)")
    for path in (WEBHOOK, LAUNCH):
        if not os.access(path, os.X_OK):
            raise RuntimeError(f"{path} is not built")
    Env.work = tempfile.mkdtemp(prefix="jk-pod-shapes-")
    os.chmod(Env.work, 0o755)
    try:
        image = build_image(Env.work)
        Env.containerd = containerd_env.Containerd(Env.work).start()
        localhost = os.path.join(Env.work, "kubelet-seccomp")
        write_localhost_profile(localhost)
        if os.environ.get("JK_POD_SHAPES_RUNTIME") == "containerd":
            Env.runtime = Env.containerd
        else:
            Env.runtime = runc_runtime.RuncRuntime(Env.work)
        mounts, env = sanitizer_support(LAUNCH)
        Env.runner = pod_runner.PodRunner(Env.runtime, Env.containerd.runtime_default, image,
                                          Env.work, localhost, mounts, env)
    except BaseException:
        tearDownModule()
        raise


def tearDownModule():
    if Env.containerd is not None:
        Env.containerd.close()
    if Env.work is not None:
        subprocess.run(["umount", "-R", "--quiet"] + [
            os.path.join(dirpath, d) for dirpath, dirs, _ in os.walk(Env.work)
            for d in dirs if d == "merged"], capture_output=True)
        shutil.rmtree(Env.work, ignore_errors=True)


def build_image(work):
    """The agent/launcher image: the static launcher at /jailkeeper-launch (stripped: the
    init container copies it into every pod), the static probe at /probe, and the directories a
    distroless image has."""
    image = os.path.join(work, "image")
    for d in ("tmp", "mnt", "etc", "proc", "sys", "dev", "jailkeeper/bin", "jailkeeper/spec"):
        os.makedirs(os.path.join(image, d))
    os.chmod(os.path.join(image, "tmp"), 0o1777)
    subprocess.run(["strip", "-o", os.path.join(image, "jailkeeper-launch"), LAUNCH], check=True)
    subprocess.run(["cc", "-static", "-O2", "-o", os.path.join(image, "probe"), PROBE_SRC],
                   check=True, stderr=subprocess.DEVNULL)
    return image


def write_localhost_profile(directory):
    """A Localhost profile as operators make them: a copy of the runtime's default profile
    (containerd's, for its default capabilities)."""
    path = os.path.join(directory, LOCALHOST_PROFILE)
    os.makedirs(os.path.dirname(path))
    with open(path, "w") as f:
        json.dump(Env.containerd.runtime_default(list(cri_spec.CONTAINERD_DEFAULT_CAPS)), f)


def dynamically_linked(binary):
    """True when the ELF file has a PT_INTERP program header (x86-64 little-endian layout)."""
    with open(binary, "rb") as f:
        header = f.read(64)
        phoff, = struct.unpack_from("<Q", header, 0x20)
        phentsize, phnum = struct.unpack_from("<HH", header, 0x36)
        f.seek(phoff)
        table = f.read(phentsize * phnum)
    return any(struct.unpack_from("<I", table, i * phentsize)[0] == 3 for i in range(phnum))


def sanitizer_support(binary):
    """A dynamically linked launcher (sanitizer builds) needs the host's libraries in the image:
    read-only bind mounts of them, and the sanitizer options of the test's environment."""
    if not dynamically_linked(binary):
        return [], []
    mounts = [cri_spec.Mount(d, d, True) for d in ("/lib", "/lib64", "/usr/lib")
              if os.path.isdir(d) and not os.path.islink(d)]
    env = [f"{k}={os.environ[k]}" for k in ("ASAN_OPTIONS", "UBSAN_OPTIONS") if k in os.environ]
    return mounts, env


# ---- one cell -----------------------------------------------------------------------------

@dataclasses.dataclass
class Cell:
    profile: str
    shape: str
    admission: str = ""          # patched | denied | skipped | unchanged | error
    message: str = ""            # the inject line after the verdict word
    warnings: list = dataclasses.field(default_factory=list)
    webhook_grant: str = ""      # what the webhook added (capabilities, seccomp, jail)
    container: str = ""          # what the container ended up with (uid, caps, seccomp, nnp)
    outcome: str = ""            # jailed | refused | skipped | warned | SILENT FAILURE | EXPOSED
    jail: str = ""               # the jail the launcher ran (from its audit lines)
    reasons: list = dataclasses.field(default_factory=list)
    stderr_tail: str = ""

    @property
    def name(self):
        return f"{self.profile}/{self.shape}"

    @property
    def failed(self):
        return self.outcome in ("SILENT FAILURE", "EXPOSED", "HARNESS ERROR")


def node_list(profile):
    with open(os.path.join(NODE_FIXTURES, profile.fixture)) as f:
        node = json.load(f)
    if profile.kernel:
        node["status"]["nodeInfo"]["kernelVersion"] = profile.kernel
    return {"apiVersion": "v1", "kind": "NodeList", "items": [node]}


def inject(pod, profile, cell_dir, allow_rule):
    """Runs the real `jailkeeper-webhook inject`; (exit, stdout, stderr)."""
    paths = {name: os.path.join(cell_dir, name) for name in ("pod.yaml", "nodes.json",
                                                             "config.yaml")}
    with open(paths["pod.yaml"], "w") as f:
        json.dump(pod, f, indent=2)  # JSON is YAML
    with open(paths["nodes.json"], "w") as f:
        json.dump(node_list(profile), f)
    with open(paths["config.yaml"], "w") as f:
        f.write(profile.config + f'policies:\n  default:\n    allow: ["{allow_rule}"]\n')
    done = subprocess.run([WEBHOOK, "inject", "-f", paths["pod.yaml"], "--nodes",
                           paths["nodes.json"], "--config", paths["config.yaml"], "-n", NAMESPACE,
                           "-o", "json"], capture_output=True, text=True, timeout=INJECT_TIMEOUT_S)
    return done.returncode, done.stdout, done.stderr


def read_admission(cell, code, stderr):
    """Fills admission, message and warnings from inject's report lines."""
    lines = stderr.splitlines()
    verdict = next((l for l in lines if l.startswith("Pod/")), "")
    cell.warnings = [l.split("warning: ", 1)[1] for l in lines if l.strip().startswith("warning:")]
    match = re.search(r"\): (patched|denied|skipped|unchanged)\b:? ?(.*)$", verdict)
    if code not in (0, 1) or match is None:
        cell.admission, cell.message = "error", f"inject exit {code}: {stderr.strip()[-300:]}"
        return
    cell.admission, cell.message = match.group(1), match.group(2)


def agent_of(pod):
    return next(c for c in pod["spec"]["containers"] if c["name"] == "agent")


def describe_webhook_grant(original, patched):
    before, after = agent_of(original), agent_of(patched)
    added = [c for c in ((after.get("securityContext") or {}).get("capabilities") or {}).get(
        "add") or [] if c not in (((before.get("securityContext") or {}).get("capabilities")
                                  or {}).get("add") or [])]
    seccomp_before = (before.get("securityContext") or {}).get("seccompProfile")
    seccomp_after = (after.get("securityContext") or {}).get("seccompProfile")
    parts = ["+" + ",".join(added) if added else "no capability"]
    if seccomp_after != seccomp_before:
        parts.append(f"seccomp {(seccomp_after or {}).get('type')}")
    spec = json.loads(patched["metadata"].get("annotations", {}).get(
        "jailkeeper.io/launch-spec", "{}"))
    jail = spec.get("jail", "?") + "".join(">" + f for f in spec.get("fallback", []))
    if spec.get("userNamespace") is False:
        jail += " (no userns)"
    return "; ".join(parts) + "; " + jail


def describe_container(grant):
    caps = set(grant.caps)
    default = set(cri_spec.CONTAINERD_DEFAULT_CAPS)
    if caps == default:
        text = "default caps"
    elif not caps:
        text = "no caps"
    elif caps == set(Env.runner.all_caps):
        text = "all caps"
    elif caps >= default:
        text = "default+" + ",".join(sorted(c[4:] for c in caps - default))
    else:
        text = ",".join(sorted(c[4:] for c in caps))
    nnp = ", nnp" if grant.no_new_privs else ""
    return f"uid {grant.uid}, {text}, seccomp {grant.seccomp}{nnp}"


def unwrapped_command(container):
    """The agent's own command: what follows the launcher's `--` (the whole command if the
    container was not wrapped)."""
    argv = list(container.get("command") or []) + list(container.get("args") or [])
    if argv and argv[0].endswith("jailkeeper-launch") and "--" in argv:
        return argv[argv.index("--") + 1:]
    return argv


class Matrix:
    """Runs cells; baselines are cached per container spec (the same spec, the same baseline)."""

    def __init__(self):
        self.baselines = {}
        self.count = 0

    def run_cell(self, profile_name, profile, shape_name, shape):
        cell = Cell(profile_name, shape_name)
        self.count += 1
        cell_dir = tempfile.mkdtemp(prefix="cell-", dir=Env.work)
        with pod_network.PodNetwork(self.count) as net:
            token = f"token-{os.getpid()}-{self.count}"
            upstream = pod_network.Upstream(net.host_ip, token)
            try:
                self._run(cell, profile, shape, net, upstream, token, cell_dir)
            except Exception as e:  # noqa: BLE001 - one cell's harness bug must not hide the rest
                cell.outcome = "HARNESS ERROR"
                cell.reasons = [f"{type(e).__name__}: {e}"]
                cell.stderr_tail = traceback.format_exc(limit=-3)
            finally:
                upstream.close()
        return cell

    def _run(self, cell, profile, shape, net, upstream, token, cell_dir):
        probe_args = [net.host_ip, str(upstream.port), str(upstream.udp_port), token]
        original = make_pod(re.sub(r"[^a-z0-9-]", "-", cell.name.lower()), profile, shape,
                            probe_args)
        code, stdout, stderr = inject(original, profile, cell_dir,
                                      f"domain={net.host_ip} path=/allowed")
        read_admission(cell, code, stderr)
        if cell.admission == "denied":
            cell.outcome = "refused"
            return
        if cell.admission == "skipped":
            cell.outcome = "skipped"
            return
        if cell.admission != "patched":
            cell.outcome, cell.reasons = "HARNESS ERROR", [cell.message]
            return
        patched = json.loads(stdout)
        cell.webhook_grant = describe_webhook_grant(original, patched)
        pod = Env.runner.pod(patched, net)
        failed_init = Env.runner.run_init_containers(pod, profile.runtime)
        if failed_init is not None:
            cell.reasons = [f"init container {failed_init.name} exit "
                            f"{failed_init.result.exit_code}"]
            cell.stderr_tail = failed_init.result.stderr_tail(STDERR_LINES)
            cell.outcome = "warned" if cell.warnings else "SILENT FAILURE"
            return
        agent = agent_of(patched)
        upstream.reset()
        jailed = Env.runner.run_container(pod, agent, profile.runtime, role="agent")
        cell.container = describe_container(jailed.grant)
        escapes = pod_verdict.egress_escapes(upstream.paths, upstream.datagrams(), token)
        self.judge(cell, jailed, escapes, token,
                   lambda fresh: self.baseline(pod, agent, profile, fresh))

    def baseline(self, pod, agent, profile, fresh):
        """The probe's report from the same container spec without the launcher. Cached per
        effective security context and node; `fresh`: run it again now (kernel objects such as
        /sys/kernel/slab/pid_3 appear when a jail first needs them)."""
        key = json.dumps([cri_spec.effective_security_context(pod.pod["spec"], agent),
                          dataclasses.astuple(profile.runtime)])
        if fresh or key not in self.baselines:
            run = Env.runner.run_container(pod, agent, profile.runtime, role="baseline",
                                           command=unwrapped_command(agent))
            if run.result.exit_code != 0:
                raise runc_runtime.RuntimeUnavailable(
                    f"the baseline probe failed (exit {run.result.exit_code}): "
                    f"{run.result.stderr_tail(STDERR_LINES)}")
            self.baselines[key] = pod_verdict.parse_report(run.result.stdout)
        return self.baselines[key]

    def judge(self, cell, jailed, escapes, token, baseline):
        result = jailed.result
        cell.stderr_tail = result.stderr_tail(STDERR_LINES)
        jails = AUDITED_JAIL.findall(result.stderr)
        cell.jail = jails[-1] if jails else ""
        if result.exit_code != 0:
            cell.reasons = [f"agent container exit {result.exit_code}"
                            + (" (timed out)" if result.timed_out else "")] + escapes
            cell.outcome = "EXPOSED" if escapes else (
                "warned" if cell.warnings else "SILENT FAILURE")
            return
        try:
            report = pod_verdict.parse_report(result.stdout)
        except pod_verdict.ReportError as e:
            cell.outcome, cell.reasons = "HARNESS ERROR", [str(e)]
            return
        exposed = pod_verdict.exposures(report, baseline(False))
        if exposed:  # compare with the container as it is now, not as it was cells ago
            exposed = pod_verdict.exposures(report, baseline(True))
        exposed = escapes + exposed
        violations = pod_verdict.jail_violations(report, token)
        cell.reasons = exposed + violations
        if exposed:
            cell.outcome = "EXPOSED"
        elif violations:
            cell.outcome = "warned" if cell.warnings else "SILENT FAILURE"
        else:
            cell.outcome = "jailed"


# ---- the table ----------------------------------------------------------------------------

def render_table(cells):
    counts = {}
    for c in cells:
        counts[c.outcome] = counts.get(c.outcome, 0) + 1
    lines = ["| cell | webhook grant | container | result | why |",
             "| --- | --- | --- | --- | --- |"]
    for c in cells:
        why = c.message if c.outcome in ("refused", "skipped") else "; ".join(c.reasons)
        if c.warnings:
            why = "warning: " + " / ".join(c.warnings) + (f"; {why}" if why else "")
        outcome = f"{c.outcome} ({c.jail})" if c.jail else c.outcome
        lines.append(f"| {c.name} | {c.webhook_grant or '-'} | {c.container or '-'} | "
                     f"{outcome} | {why.replace('|', '/')} |")
    summary = ", ".join(f"{k}: {v}" for k, v in sorted(counts.items()))
    return "\n".join(lines) + f"\n\n{len(cells)} cells: {summary}\n"


def failure_report(cells):
    out = []
    for c in cells:
        if not c.failed:
            continue
        out.append(f"{c.name}: {c.outcome}: {'; '.join(c.reasons)}")
        if c.stderr_tail:
            out.extend("    " + line for line in c.stderr_tail.splitlines())
    return "\n".join(out)


class RuntimeModel(unittest.TestCase):
    """The harness itself, tried against what it claims: the baseline container is the one
    kubelet + containerd make, the seccomp profile is containerd's for the final capabilities,
    the Landlock stand-in answers ENOSYS, the egress and /proc checks can fail, and runc alone
    runs a spec as `ctr run` does."""

    def probe(self, shape, node=NodeRuntime(), runner=None):
        """The probe without the launcher in a pod of `shape`: (report, upstream paths,
        datagrams, token)."""
        Env.count = getattr(Env, "count", 0) + 1
        with pod_network.PodNetwork(10000 + Env.count) as net:
            token = f"self-test-{Env.count}"
            upstream = pod_network.Upstream(net.host_ip, token)
            try:
                pod = make_pod("self-test", PROFILES["al2023"], shape,
                               [net.host_ip, str(upstream.port), str(upstream.udp_port), token])
                runner = runner or Env.runner
                run = runner.run_container(runner.pod(pod, net), agent_of(pod), node, "self")
                self.assertEqual(run.result.exit_code, 0, run.result.stderr)
                return (pod_verdict.parse_report(run.result.stdout), list(upstream.paths),
                        upstream.datagrams(), token)
            finally:
                upstream.close()

    def test_baseline_is_the_container_kubelet_and_containerd_make(self):
        report, paths, datagrams, token = self.probe(Shape())
        default_caps = "00000000a80425fb"  # containerd's defaultUnixCaps
        self.assertEqual({k: report["status"][k] for k in pod_verdict.CAP_SETS},
                         {"CapInh": "0" * 16, "CapPrm": default_caps, "CapEff": default_caps,
                          "CapBnd": default_caps, "CapAmb": "0" * 16})
        self.assertEqual((report["uid"], report["status"]["NoNewPrivs"],
                          report["status"]["Seccomp"]), (0, "0", "0"))
        attempts = report["attempts"]
        self.assertEqual(attempts["core_pattern_write"]["errno"], "EROFS")  # /proc/sys read-only
        self.assertEqual(attempts["read_keys"]["detail"], "read 0 bytes")   # masked: /dev/null
        self.assertEqual(attempts["list_sys_firmware"]["detail"], "0 entries")
        # Without a jail the egress checks see the traffic: they can fail.
        self.assertIn("/direct-tcp", paths)
        self.assertEqual(len(pod_verdict.egress_escapes(paths, datagrams, token)), 3)

    def test_security_context_reaches_the_process(self):
        report, *_ = self.probe(Shape(
            pod={"runAsUser": 1000, "runAsGroup": 3000, "supplementalGroups": [4000]},
            container={"runAsUser": 2000, "capabilities": DROP_ALL,
                       "allowPrivilegeEscalation": False}))
        self.assertEqual((report["uid"], report["gid"], sorted(report["groups"])),
                         (2000, 3000, [3000, 4000]))
        self.assertEqual(report["status"]["CapBnd"], "0" * 16)
        self.assertEqual(report["status"]["NoNewPrivs"], "1")

    def test_runtime_default_is_containerds_profile_for_the_final_capabilities(self):
        # Creating a user namespace needs no capability, so EPERM here is the profile's doing.
        seccomp_on = NodeRuntime(seccomp_default=True)
        plain, *_ = self.probe(Shape(), seccomp_on)
        self.assertEqual(plain["status"]["Seccomp"], "2")
        self.assertEqual(plain["attempts"]["unshare_user"]["errno"], "EPERM")
        with_sys_admin, *_ = self.probe(Shape(container={"capabilities": {"add": ["SYS_ADMIN"]}}),
                                        seccomp_on)
        self.assertEqual(with_sys_admin["attempts"]["unshare_user"]["result"], "ok")
        unconfined, *_ = self.probe(Shape())
        self.assertEqual(unconfined["attempts"]["unshare_user"]["result"], "ok")

    def test_node_without_landlock_answers_enosys_under_any_profile(self):
        no_landlock = NodeRuntime(landlock=False)
        for shape in (Shape(), Shape(container={"seccompProfile": {"type": "RuntimeDefault"}}),
                      Shape(container={"privileged": True})):
            report, *_ = self.probe(shape, no_landlock)
            self.assertEqual(report["attempts"]["landlock_abi"]["errno"], "ENOSYS", shape)
        report, *_ = self.probe(Shape())
        self.assertEqual(report["attempts"]["landlock_abi"]["result"], "ok")

    def test_node_without_user_namespaces_answers_enospc_where_seccomp_allowed_it(self):
        off = NodeRuntime(user_namespaces=False)
        for shape, node, want in [
                (Shape(), off, "ENOSPC"),
                (Shape(container={"privileged": True}), off, "ENOSPC"),
                (Shape(container={"capabilities": {"add": ["SYS_ADMIN"]}}),
                 NodeRuntime(seccomp_default=True, user_namespaces=False), "ENOSPC"),
                (Shape(), NodeRuntime(seccomp_default=True, user_namespaces=False), "EPERM")]:
            report, *_ = self.probe(shape, node)
            self.assertEqual(report["attempts"]["unshare_user"]["errno"], want, (shape, node))
        sys_admin, *_ = self.probe(Shape(container={"capabilities": {"add": ["SYS_ADMIN"]}}), off)
        self.assertEqual(sys_admin["attempts"]["unshare_net"]["result"], "ok")

    def test_exposure_comparison_catches_an_unmasked_proc(self):
        # The class of issue 12's escape: a fresh /proc without runc's masks and read-only
        # binds. procMount Unmasked gives the container exactly that.
        masked, *_ = self.probe(Shape())
        unmasked, *_ = self.probe(Shape(container={"procMount": "Unmasked"}))
        found = "\n".join(pod_verdict.exposures(unmasked, masked))
        self.assertIn("core_pattern_write", found)
        self.assertIn("read_keys", found)
        self.assertIn("writable only in the jail: ", found)
        self.assertIn("w", pod_verdict.walk_map(unmasked)["/proc/sys/kernel/core_pattern"])
        self.assertNotIn("w", pod_verdict.walk_map(masked)["/proc/sys/kernel/core_pattern"])
        self.assertEqual(pod_verdict.exposures(masked, masked), [])

    def test_runc_alone_runs_a_spec_as_ctr_run_does(self):
        workdir = tempfile.mkdtemp(prefix="ctr-", dir=Env.work)
        through_ctr = pod_runner.PodRunner(
            Env.containerd, Env.containerd.runtime_default, Env.runner.image, workdir,
            Env.runner.localhost_dir, Env.runner.extra_mounts, Env.runner.extra_env)
        shape = Shape(container={"runAsUser": 1000, "seccompProfile": {"type": "RuntimeDefault"},
                                 "capabilities": {"add": ["NET_ADMIN"]}})
        reports = [self.probe(shape, runner=r)[0] for r in (Env.runner, through_ctr)]
        for report in reports:
            report["attempts"].pop("udp")  # the detail names nothing that differs; kept equal
        self.assertEqual(reports[0]["status"], reports[1]["status"])
        self.assertEqual({k: v["result"] for k, v in reports[0]["attempts"].items()},
                         {k: v["result"] for k, v in reports[1]["attempts"].items()})
        self.assertEqual(pod_verdict.exposures(reports[0], reports[1]), [])
        self.assertEqual(pod_verdict.exposures(reports[1], reports[0]), [])


class PodShapeMatrix(unittest.TestCase):
    def test_every_cell_is_jailed_or_refused_or_warned_at_admission(self):
        only = re.compile(os.environ.get("JK_POD_SHAPES_ONLY", ""))
        matrix = Matrix()
        cells = []
        for profile_name, profile in PROFILES.items():
            wanted = [s for s in SHAPES if only.search(f"{profile_name}/{s}")]
            if not wanted:
                continue
            for shape_name in wanted:
                cells.append(matrix.run_cell(profile_name, profile, shape_name,
                                             SHAPES[shape_name]))
        table = render_table(cells)
        print("\n" + table, file=sys.stderr)
        if os.environ.get("JK_POD_SHAPES_TABLE"):
            with open(os.environ["JK_POD_SHAPES_TABLE"], "w") as f:
                f.write(table)
        self.assertTrue(cells, "JK_POD_SHAPES_ONLY matched no cell")
        failed = [c for c in cells if c.failed]
        self.assertEqual(len(failed), 0, f"{len(failed)} of {len(cells)} cells failed:\n"
                         + failure_report(cells))


if __name__ == "__main__":
    unittest.main()
