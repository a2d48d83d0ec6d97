"""The pod-shape matrix's machinery (tests/integration/test_pod_shapes.py holds the profiles,
the shapes and the tests): one cell = one pod through the real `jailkeeper-webhook inject`, then
run like kubelet would (pod_runner.py) with the probe as the agent, judged by pod_verdict.py
against the same container without the launcher; and the table of all cells.

Outcomes: refused / skipped (the webhook's decision at admission, with its message); jailed;
"warned" (not jailed, but the webhook warned at admission); "SILENT FAILURE" (not jailed, no
warning); "EXPOSED" (the jailed agent saw more of /proc or /sys than the container alone, or
traffic got past the proxy); "HARNESS ERROR" (the harness could not run the cell)."""
import dataclasses
import json
import os
import re
import subprocess
import tempfile
import traceback

import cri_spec
from cri_spec import NodeRuntime
import pod_network
import pod_verdict
import runc_runtime

NAMESPACE = "agents"
INJECT_TIMEOUT_S = 60
STDERR_LINES = 6
AUDITED_JAIL = re.compile(r'"jail":"([a-z]+)"')  # in the launcher's audit lines
FAILED = ("SILENT FAILURE", "EXPOSED", "DOCTOR WRONG", "HARNESS ERROR")


@dataclasses.dataclass(frozen=True)
class NodeProfile:
    fixture: str               # tests/fixtures/nodes/FILE: the one node of the NodeList
    kernel: str | None         # overrides the node's status.nodeInfo.kernelVersion
    config: str                # the webhook config (YAML); the test appends the policy
    scheduling: dict           # pod spec fields that place the pod on that node
    runtime: NodeRuntime       # kubelet seccompDefault; Landlock; user namespaces


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
    doctor: str = ""             # the jails `jailkeeper-launch doctor` said can run there
    reasons: list = dataclasses.field(default_factory=list)
    stderr_tail: str = ""

    @property
    def name(self):
        return f"{self.profile}/{self.shape}"

    @property
    def failed(self):
        return self.outcome in FAILED


def node_list(profile, fixtures):
    with open(os.path.join(fixtures, profile.fixture)) as f:
        node = json.load(f)
    if profile.kernel:
        node["status"]["nodeInfo"]["kernelVersion"] = profile.kernel
    return {"apiVersion": "v1", "kind": "NodeList", "items": [node]}


def inject(webhook, fixtures, pod, profile, cell_dir, allow_rule):
    """Runs the real `jailkeeper-webhook inject` (binary `webhook`) on `pod` with the profile's
    node (from `fixtures`) and config plus a policy allowing `allow_rule`; (exit, out, err)."""
    paths = {name: os.path.join(cell_dir, name) for name in ("pod.yaml", "nodes.json",
                                                             "config.yaml")}
    with open(paths["pod.yaml"], "w") as f:
        json.dump(pod, f, indent=2)  # JSON is YAML
    with open(paths["nodes.json"], "w") as f:
        json.dump(node_list(profile, fixtures), f)
    with open(paths["config.yaml"], "w") as f:
        f.write(profile.config + f'policies:\n  default:\n    allow: ["{allow_rule}"]\n')
    done = subprocess.run([webhook, "inject", "-f", paths["pod.yaml"], "--nodes",
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


def _security_context(container):
    return container.get("securityContext") or {}


def _capability_list(container, key):
    return (_security_context(container).get("capabilities") or {}).get(key) or []


def describe_webhook_grant(original, patched):
    """What the webhook changed in the agent's securityContext (capabilities added, drops taken
    out, seccomp, any other field) and the jail it chose."""
    before, after = agent_of(original), agent_of(patched)
    added = [c for c in _capability_list(after, "add") if c not in _capability_list(before, "add")]
    undropped = [c for c in _capability_list(before, "drop")
                 if c not in _capability_list(after, "drop")]
    parts = ["+" + ",".join(added) if added else "no capability"]
    if undropped:
        parts.append("drop no longer " + ",".join(undropped))
    sc_before, sc_after = _security_context(before), _security_context(after)
    for key in sorted((set(sc_before) | set(sc_after)) - {"capabilities"}):
        if sc_before.get(key) != sc_after.get(key):
            value = sc_after.get(key)
            parts.append(f"seccomp {value.get('type')}" if key == "seccompProfile" and value
                         else f"{key}: {json.dumps(value)}")
    spec = json.loads(patched["metadata"].get("annotations", {}).get(
        "jailkeeper.io/launch-spec", "{}"))
    jail = spec.get("jail", "?") + "".join(">" + f for f in spec.get("fallback", []))
    if spec.get("userNamespace") is False:
        jail += " (no userns)"
    return "; ".join(parts) + "; " + jail


def describe_container(grant, all_caps):
    caps = set(grant.caps)
    default = set(cri_spec.CONTAINERD_DEFAULT_CAPS)
    if caps == default:
        text = "default caps"
    elif not caps:
        text = "no caps"
    elif caps == set(all_caps):
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
    """Runs cells with `runner` (pod_runner.PodRunner) and the webhook binary `webhook`;
    `make_pod(name, profile, shape, probe_args)` writes each cell's pod; `fixtures`: the node
    fixtures directory; `workdir`: where cells keep their files. Baselines are cached per
    effective security context and node (the same container spec, the same baseline)."""

    def __init__(self, runner, webhook, make_pod, fixtures, workdir):
        self.runner = runner
        self.webhook = webhook
        self.make_pod = make_pod
        self.fixtures = fixtures
        self.workdir = workdir
        self.baselines = {}
        self.count = 0

    def run_cell(self, profile_name, profile, shape_name, shape):
        cell = Cell(profile_name, shape_name)
        self.count += 1
        cell_dir = tempfile.mkdtemp(prefix="cell-", dir=self.workdir)
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
        original = self.make_pod(re.sub(r"[^a-z0-9-]", "-", cell.name.lower()), profile, shape,
                                 probe_args)
        code, stdout, stderr = inject(self.webhook, self.fixtures, original, profile, cell_dir,
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
        pod = self.runner.pod(patched, net)
        failed_init = self.runner.run_init_containers(pod, profile.runtime)
        if failed_init is not None:
            cell.reasons = [f"init container {failed_init.name} exit "
                            f"{failed_init.result.exit_code}"]
            cell.stderr_tail = failed_init.result.stderr_tail(STDERR_LINES)
            cell.outcome = "warned" if cell.warnings else "SILENT FAILURE"
            return
        agent = agent_of(patched)
        upstream.reset()
        jailed = self.runner.run_container(pod, agent, profile.runtime, role="agent")
        cell.container = describe_container(jailed.grant, self.runner.all_caps)
        escapes = pod_verdict.egress_escapes(upstream.paths, upstream.datagrams(), token)
        self.judge(cell, jailed, escapes, token,
                   lambda fresh: self.baseline(pod, agent, profile, fresh))
        self.check_doctor(cell, pod, agent, profile)

    def check_doctor(self, cell, pod, agent, profile):
        """Runs `jailkeeper-launch doctor -o json` in the same container (the launch spec the
        webhook wrote included) and holds it to what happened: the jail that ran must be one
        doctor says can run, and when no jail ran, doctor must not say the jails the webhook
        chose can run (issue 12: doctor said "can run" where the launcher then failed)."""
        argv = list(agent.get("command") or []) + list(agent.get("args") or [])
        if not argv or not argv[0].endswith("jailkeeper-launch"):
            return
        run = self.runner.run_container(pod, agent, profile.runtime, role="doctor",
                                        command=[argv[0], "doctor", "-o", "json"])
        try:
            report = json.loads(run.result.stdout)
            can_run = [j["name"] for j in report["jails"] if j["available"]]
        except (ValueError, KeyError, TypeError) as e:
            cell.reasons.append(f"doctor gave no report (exit {run.result.exit_code}): {e}")
            cell.outcome = "DOCTOR WRONG"
            return
        cell.doctor = ",".join(can_run) or "none"
        spec = json.loads(pod.pod["metadata"].get("annotations", {}).get(
            "jailkeeper.io/launch-spec", "{}"))
        chosen = [spec.get("jail", "")] + list(spec.get("fallback", []))
        if cell.outcome == "jailed" and cell.jail and cell.jail not in can_run:
            cell.reasons.append(f"doctor said {cell.jail} cannot run, yet it ran")
            cell.outcome = "DOCTOR WRONG"
        elif cell.outcome in ("warned", "SILENT FAILURE") and not cell.jail and \
                any(j in can_run for j in chosen):
            cell.reasons.append(f"doctor said {cell.doctor} can run, yet no jail started")
            cell.outcome = "DOCTOR WRONG"

    def baseline(self, pod, agent, profile, fresh):
        """The probe's report from the same container spec without the launcher. Cached per
        effective security context and node; `fresh`: run it again now (kernel objects such as
        /sys/kernel/slab/pid_3 appear when a jail first needs them)."""
        key = json.dumps([cri_spec.effective_security_context(pod.pod["spec"], agent),
                          dataclasses.astuple(profile.runtime)])
        if fresh or key not in self.baselines:
            run = self.runner.run_container(pod, agent, profile.runtime, role="baseline",
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
        cell.reasons = exposed + violations + pod_verdict.jail_notes(report)
        if exposed:
            cell.outcome = "EXPOSED"
        elif violations:
            cell.outcome = "warned" if cell.warnings else "SILENT FAILURE"
        else:
            cell.outcome = "jailed"


OUTCOMES = ("jailed", "refused", "skipped", "warned", "SILENT FAILURE", "EXPOSED",
            "DOCTOR WRONG", "HARNESS ERROR")


def render_table(cells):
    """Markdown: cell -> webhook grant -> container -> result (the jail that ran) -> why; then
    the outcomes counted per node profile."""
    lines = ["| cell | webhook grant | container | result | doctor: can run | why |",
             "| --- | --- | --- | --- | --- | --- |"]
    for c in cells:
        why = c.message if c.outcome in ("refused", "skipped") else "; ".join(c.reasons)
        if c.warnings:
            why = "warning: " + " / ".join(c.warnings) + (f"; {why}" if why else "")
        outcome = f"{c.outcome} ({c.jail})" if c.jail else c.outcome
        lines.append(f"| {c.name} | {c.webhook_grant or '-'} | {c.container or '-'} | "
                     f"{outcome} | {c.doctor or '-'} | {why.replace('|', '/')} |")
    return "\n".join(lines) + "\n\n" + render_counts(cells)


def render_counts(cells):
    profiles = list(dict.fromkeys(c.profile for c in cells))
    rows = [("all", cells)] + [(p, [c for c in cells if c.profile == p]) for p in profiles]
    lines = ["| profile | cells | " + " | ".join(OUTCOMES) + " |",
             "| --- | --- | " + " | ".join("---" for _ in OUTCOMES) + " |"]
    for name, group in rows:
        counts = [sum(1 for c in group if c.outcome == o) for o in OUTCOMES]
        lines.append(f"| {name} | {len(group)} | " + " | ".join(map(str, counts)) + " |")
    return "\n".join(lines) + "\n"


def failure_report(cells):
    out = []
    for c in cells:
        if not c.failed:
            continue
        out.append(f"{c.name}: {c.outcome}: {'; '.join(c.reasons)}")
        if c.stderr_tail:
            out.extend("    " + line for line in c.stderr_tail.splitlines())
    return "\n".join(out)
