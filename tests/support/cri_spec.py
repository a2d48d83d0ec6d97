"""A Pod's container -> the OCI runtime spec that kubelet + containerd 1.6's CRI plugin hand to
runc. Pure: values in, a spec dict out; the RuntimeDefault seccomp profile is asked of
containerd itself through `runtime_default(caps)` (see containerd_env.py), never written here.

Each rule names where it comes from upstream (kubernetes/kubernetes at v1.31,
containerd/containerd at v1.6.20, the version Debian 12 ships):

  K1  pkg/securitycontext/util.go DetermineEffectiveSecurityContext: the container's
      securityContext fields override the pod's (runAsUser, runAsGroup, runAsNonRoot,
      seccompProfile, seLinuxOptions); capabilities, privileged, readOnlyRootFilesystem,
      allowPrivilegeEscalation and procMount exist only on the container.
  K2  pkg/securitycontext/util.go AddNoNewPrivileges: no_new_privs only when
      allowPrivilegeEscalation is explicitly false.
  K3  pkg/securitycontext/util.go defaultMaskedPaths / defaultReadonlyPaths, sent by kubelet as
      the CRI masked/readonly paths (procMount Unmasked: none).
  K4  pkg/kubelet/kuberuntime/helpers.go getSeccompProfile: container seccompProfile, else the
      pod's, else RuntimeDefault when the kubelet runs with seccompDefault, else Unconfined;
      Localhost profiles are files under the kubelet's seccomp directory.
  K5  pkg/kubelet/kuberuntime/kuberuntime_container.go: command = container command (else the
      image entrypoint), args = container args (else image cmd); terminationMessagePath
      (/dev/termination-log) is a writable bind mount.
  K6  pkg/volume/emptydir: an emptyDir is a directory of mode 0777; pkg/volume/util/
      atomic_writer.go: a downwardAPI volume holds `..data` -> timestamped dir, one symlink per
      item, files of mode 0644.
  C1  oci/spec.go populateDefaultUnixSpec: default mounts (oci/mounts.go; sysfs read-only),
      default capabilities defaultUnixCaps (bounding = effective = permitted, no inheritable).
  C2  pkg/cri/server/container_create_linux.go containerSpec: WithoutRunMount,
      WithoutDefaultSecuritySettings (no seccomp/apparmor/rlimits from the base spec),
      WithNewPrivileges (no_new_privs only from K2), cgroup namespace on cgroup v2 unless
      privileged, masked/readonly paths = exactly what kubelet sent (K3), rootfs read-only from
      readOnlyRootFilesystem, WithoutAmbientCaps.
  C3  pkg/cri/opts/spec_linux.go WithCapabilities: add ALL first, then drop ALL, then the
      individual adds, then the individual drops (so drop [ALL] + add [X] = only X).
  C4  oci/spec_opts.go WithPrivileged: all current capabilities, no masked/readonly paths,
      sysfs and cgroupfs read-write, no seccomp (generateSeccompSpecOpts ignores the profile).
  C5  pkg/cri/opts/spec_linux.go WithMounts: /sys/fs/cgroup read-only cgroup mount; volumes as
      rbind mounts, "ro" or "rw"; /etc/hosts, /etc/hostname and /etc/resolv.conf read-only
      when the rootfs is (container_create_linux.go containerMounts).
  C6  pkg/cri/server/container_create_linux.go containerSpecOpts + oci WithUser: user
      "uid[:gid]" from runAsUser/runAsGroup; without runAsGroup the gid is the uid's entry in
      the image's /etc/passwd, or 0 when it has none; the primary gid is added to
      additionalGids (ensureAdditionalGids), supplementalGroups too (groups of the image's
      /etc/group that list the user as a member: not modelled, the test images list none).
  K8  pkg/kubelet/kubelet_pods.go podFieldSelectorRuntimeValue: env valueFrom.fieldRef of
      metadata.name, metadata.namespace, metadata.uid, spec.serviceAccountName and
      metadata.labels/annotations['KEY'] (pkg/fieldpath ExtractFieldPathAsString).
  K7  pkg/kubelet/kuberuntime/security_context_others.go verifyRunAsNonRoot: runAsNonRoot with
      uid 0 (set, or the image's user: root here) is refused before the container is created.
  C7  contrib/seccomp: RuntimeDefault = seccomp.DefaultProfile(spec), computed from the final
      bounding capabilities (taken from containerd, see containerd_env.py).

Not modelled (the probe does not depend on them): AppArmor/SELinux labels (Bottlerocket runs
SELinux, not modelled), devices beyond runc's defaults, resources, hostname, service-link env,
the image config (user, env, working directory: the images run here set none that differs).
"""
import copy
import dataclasses
import json
import os
import re

DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"  # WithDefaultPathEnv

CONTAINERD_DEFAULT_CAPS = (  # C1 oci/spec.go defaultUnixCaps
    "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW",
    "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE",
    "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE")

# The kernel's capability numbers in bit order (include/uapi/linux/capability.h), as far as
# containerd 1.6's pkg/cap knows them.
CAP_NAMES = (
    "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL",
    "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE",
    "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER",
    "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT",
    "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME",
    "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE", "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL",
    "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM",
    "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE")

KUBELET_MASKED_PATHS = (  # K3
    "/proc/asound", "/proc/acpi", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
    "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware",
    "/sys/devices/virtual/powercap")
KUBELET_READONLY_PATHS = ("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger")

LANDLOCK_SYSCALLS = ("landlock_create_ruleset", "landlock_add_rule", "landlock_restrict_self")
ENOSYS = 38
ENOSPC = 28
CLONE_NEWUSER = 0x10000000
NAMESPACE_SYSCALLS = ("clone", "clone3", "unshare")
ALLOW_ACTIONS = ("SCMP_ACT_ALLOW", "SCMP_ACT_LOG")
SECCOMP_ARCHES = ("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32")


class SpecError(Exception):
    """The pod uses something this model does not know; the message says what."""


@dataclasses.dataclass(frozen=True)
class NodeRuntime:
    """What the node adds to every container: kubelet's seccompDefault (K4); whether the kernel
    has Landlock (False: landlock_* answer ENOSYS); whether user namespaces can be created
    (False: user.max_user_namespaces=0, as on EKS Auto Mode). The last two are stand-ins added
    to the container's seccomp filter (also for Unconfined and privileged containers): an old
    kernel cannot be booted here, and the sysctl is global and needs CAP_SYS_RESOURCE in the
    initial user namespace, which test machines may not have (see without_user_namespaces)."""
    seccomp_default: bool = False
    landlock: bool = True
    user_namespaces: bool = True


@dataclasses.dataclass(frozen=True)
class Mount:
    host_path: str
    container_path: str
    read_only: bool


@dataclasses.dataclass(frozen=True)
class SeccompChoice:
    kind: str              # RuntimeDefault | Unconfined | Localhost | none (privileged)
    localhost_ref: str = ""


def current_capabilities():
    """C3/C4 "ALL": pkg/cap/cap_linux.go Current(): the runtime's own effective set (the CRI
    plugin's allCaps, service_linux.go), read like containerd reads it. The harness runs
    containerd and runc as itself, so its own set is theirs."""
    with open("/proc/self/status") as f:
        bits = next(int(line.split(":")[1], 16) for line in f if line.startswith("CapEff:"))
    return [name for number, name in enumerate(CAP_NAMES) if bits >> number & 1]


def effective_security_context(pod_spec, container):
    """K1: the pod's securityContext fields, overridden by the container's."""
    pod_sc = pod_spec.get("securityContext") or {}
    effective = {k: copy.deepcopy(v) for k, v in pod_sc.items()
                 if k in ("runAsUser", "runAsGroup", "runAsNonRoot", "seccompProfile",
                          "seLinuxOptions", "supplementalGroups", "fsGroup")}
    effective.update(copy.deepcopy(container.get("securityContext") or {}))
    return effective


def final_capabilities(security_context, all_caps):
    """C1 + C3 (+ C4 for privileged): the bounding = effective = permitted list, CAP_ names;
    `all_caps`: what "ALL" and privileged mean (current_capabilities())."""
    if security_context.get("privileged"):
        return list(all_caps)
    caps = list(CONTAINERD_DEFAULT_CAPS)
    spec = security_context.get("capabilities")
    if spec is None:
        return caps
    add = [str(c).upper() for c in spec.get("add") or []]
    drop = [str(c).upper() for c in spec.get("drop") or []]
    if "ALL" in add:
        caps = list(all_caps)
    if "ALL" in drop:
        caps = []
    for name in add:
        if name != "ALL" and "CAP_" + name not in caps:
            caps.append("CAP_" + name)
    for name in drop:
        if name != "ALL" and "CAP_" + name in caps:
            caps.remove("CAP_" + name)
    unknown = [c for c in caps if c not in CAP_NAMES]
    if unknown:
        raise SpecError(f"unknown capability {unknown[0]} (containerd refuses it)")
    return caps


def seccomp_choice(security_context, node):
    """K4 + C4: which seccomp profile the container gets."""
    if security_context.get("privileged"):
        return SeccompChoice("none")
    profile = security_context.get("seccompProfile")
    if profile is None:
        return SeccompChoice("RuntimeDefault" if node.seccomp_default else "Unconfined")
    kind = profile.get("type")
    if kind in ("RuntimeDefault", "Unconfined"):
        return SeccompChoice(kind)
    if kind == "Localhost":
        ref = profile.get("localhostProfile", "")
        if not ref or ref.startswith("/") or ".." in ref.split("/"):
            raise SpecError(f"seccompProfile.localhostProfile {ref!r} is not a relative path")
        return SeccompChoice(kind, ref)
    raise SpecError(f"seccompProfile.type {kind!r} is not RuntimeDefault, Unconfined or Localhost")


def without_landlock(profile):
    """The node-without-Landlock stand-in: landlock_* answer ENOSYS, whatever else the profile
    (or its absence) says. libseccomp refuses two actions for one syscall, so the names are
    taken out of the profile's other rules first."""
    profile = copy.deepcopy(profile) if profile else {
        "defaultAction": "SCMP_ACT_ALLOW", "architectures": list(SECCOMP_ARCHES), "syscalls": []}
    rules = []
    for rule in profile.get("syscalls") or []:
        names = [n for n in rule.get("names", []) if n not in LANDLOCK_SYSCALLS]
        if names:
            rules.append(dict(rule, names=names))
    rules.append({"names": list(LANDLOCK_SYSCALLS), "action": "SCMP_ACT_ERRNO",
                  "errnoRet": ENOSYS})
    profile["syscalls"] = rules
    return profile


def _arg_newuser(value):
    return {"index": 0, "value": CLONE_NEWUSER, "valueTwo": value, "op": "SCMP_CMP_MASKED_EQ"}


def without_user_namespaces(profile):
    """The user.max_user_namespaces=0 stand-in: wherever the profile lets clone or unshare
    create a user namespace, they answer ENOSPC (the kernel's answer at the limit) for
    CLONE_NEWUSER; clone3, whose flags a filter cannot see, answers ENOSYS where it was allowed
    (callers fall back to clone, as containerd's RuntimeDefault already makes them do). Calls the
    profile denies or allows only without namespace flags (containerd's clone rule) stay as they
    are: seccomp answers before the kernel's limit is reached."""
    profile = copy.deepcopy(profile) if profile else {
        "defaultAction": "SCMP_ACT_ALLOW", "architectures": list(SECCOMP_ARCHES), "syscalls": []}
    default_allows = profile["defaultAction"] in ALLOW_ACTIONS
    mentioned = {n for r in profile.get("syscalls") or [] for n in r.get("names", [])}
    opened = {n for n in NAMESPACE_SYSCALLS if default_allows and n not in mentioned}
    rules = []
    for rule in profile.get("syscalls") or []:
        names = rule.get("names", [])
        if rule.get("action") in ALLOW_ACTIONS and not rule.get("args"):
            opened.update(n for n in names if n in NAMESPACE_SYSCALLS)
            names = [n for n in names if n not in NAMESPACE_SYSCALLS]
        if names:
            rules.append(dict(rule, names=names))
    for name in sorted(opened):
        if name == "clone3":
            rules.append({"names": [name], "action": "SCMP_ACT_ERRNO", "errnoRet": ENOSYS})
            continue
        rules.append({"names": [name], "action": "SCMP_ACT_ERRNO", "errnoRet": ENOSPC,
                      "args": [_arg_newuser(CLONE_NEWUSER)]})
        # Under a default of ALLOW runc skips this rule (matchCall: "redundant").
        rules.append({"names": [name], "action": "SCMP_ACT_ALLOW", "args": [_arg_newuser(0)]})
    profile["syscalls"] = rules
    return profile


def seccomp_profile(choice, caps, node, runtime_default, localhost_dir):
    """C7 / K4: the `linux.seccomp` object, or None for no filter."""
    if choice.kind == "RuntimeDefault":
        profile = runtime_default(caps)
    elif choice.kind == "Localhost":
        path = os.path.join(localhost_dir, choice.localhost_ref)
        try:
            with open(path) as f:
                profile = json.load(f)
        except OSError as e:
            raise SpecError(f"Localhost seccomp profile {path}: {e.strerror}") from e
    else:
        profile = None
    if not node.user_namespaces:
        profile = without_user_namespaces(profile)
    return profile if node.landlock else without_landlock(profile)


def _base_mounts(privileged):
    """C1 oci/mounts.go defaultMounts without /run (C2 WithoutRunMount), + C5's cgroup mount;
    C4 makes sysfs and cgroupfs writable for privileged containers."""
    ro = "rw" if privileged else "ro"
    return [
        {"destination": "/proc", "type": "proc", "source": "proc",
         "options": ["nosuid", "noexec", "nodev"]},
        {"destination": "/dev", "type": "tmpfs", "source": "tmpfs",
         "options": ["nosuid", "strictatime", "mode=755", "size=65536k"]},
        {"destination": "/dev/pts", "type": "devpts", "source": "devpts",
         "options": ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"]},
        {"destination": "/dev/shm", "type": "tmpfs", "source": "shm",
         "options": ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"]},
        {"destination": "/dev/mqueue", "type": "mqueue", "source": "mqueue",
         "options": ["nosuid", "noexec", "nodev"]},
        {"destination": "/sys", "type": "sysfs", "source": "sysfs",
         "options": ["nosuid", "noexec", "nodev", ro]},
        {"destination": "/sys/fs/cgroup", "type": "cgroup", "source": "cgroup",
         "options": ["nosuid", "noexec", "nodev", "relatime", ro]},
    ]


def _bind(mount):
    return {"destination": mount.container_path, "type": "bind", "source": mount.host_path,
            "options": ["rbind", "rprivate", "ro" if mount.read_only else "rw"]}


def _passwd_gid(rootfs, uid):
    """C6: the primary gid of `uid` in the image's /etc/passwd, 0 when it has no entry."""
    try:
        with open(os.path.join(rootfs, "etc", "passwd")) as f:
            lines = f.read().splitlines()
    except FileNotFoundError:
        return 0
    for line in lines:
        fields = line.split(":")
        if len(fields) >= 4 and fields[2] == str(uid):
            return int(fields[3])
    return 0


def _user(security_context, rootfs):
    """C6: uid, gid and additional gids."""
    uid = int(security_context.get("runAsUser", 0))
    gid = (int(security_context["runAsGroup"]) if "runAsGroup" in security_context
           else _passwd_gid(rootfs, uid))
    groups = sorted({gid, *(int(g) for g in security_context.get("supplementalGroups") or []),
                     *([int(security_context["fsGroup"])] if "fsGroup" in security_context
                       else [])})
    return {"uid": uid, "gid": gid, "additionalGids": groups}


FIELD_REF = re.compile(r"^metadata\.(labels|annotations)\['([^']+)'\]$")


def field_value(pod, path):
    """K8: the value of a downward-API fieldRef (env and downwardAPI volumes)."""
    meta = pod.get("metadata") or {}
    simple = {"metadata.name": meta.get("name"), "metadata.namespace": meta.get("namespace"),
              "metadata.uid": meta.get("uid"),
              "spec.serviceAccountName": (pod.get("spec") or {}).get("serviceAccountName")}
    if path in simple:
        return simple[path] or ""
    ref = FIELD_REF.match(path)
    if ref is None:
        raise SpecError(f"fieldRef {path}: not modelled")
    return (meta.get(ref.group(1)) or {}).get(ref.group(2), "")


def _env(pod, container, extra_env):
    env = ["PATH=" + DEFAULT_PATH, "HOSTNAME=pod-shapes"]
    for item in container.get("env") or []:
        if "value" in item:
            env.append(f"{item['name']}={item['value']}")
        elif "fieldRef" in (item.get("valueFrom") or {}):
            path = item["valueFrom"]["fieldRef"]["fieldPath"]
            env.append(f"{item['name']}={field_value(pod, path)}")
        else:
            raise SpecError(f"env {item.get('name')}: only values and fieldRefs are modelled")
    return env + list(extra_env)


def container_spec(*, pod, container, node, rootfs, mounts, netns_path, runtime_default,
                   localhost_dir, all_caps, cgroup_v2=True, extra_env=()):
    """The OCI spec for `container` of `pod` on `node`. `mounts`: the container's volumes plus the
    CRI files (/etc/hosts, …), already resolved to host paths. `runtime_default(caps)`: the
    profile containerd generates for that bounding set. `all_caps`: current_capabilities().
    `extra_env`: harness-only variables (e.g. sanitizer options), appended after the pod's.
    Returns (spec, Grant)."""
    sc = effective_security_context(pod.get("spec", {}), container)
    if sc.get("runAsNonRoot") and int(sc.get("runAsUser", 0)) == 0:
        raise SpecError(f"container {container.get('name')}: runAsNonRoot with uid 0: kubelet "
                        "refuses to create it (CreateContainerConfigError)")
    privileged = bool(sc.get("privileged"))
    caps = final_capabilities(sc, all_caps)
    choice = seccomp_choice(sc, node)
    args = list(container.get("command") or []) + list(container.get("args") or [])
    if not args:
        raise SpecError(f"container {container.get('name')}: no command (the test image has no "
                        "entrypoint)")
    unmasked = sc.get("procMount") == "Unmasked"
    namespaces = [{"type": "pid"}, {"type": "ipc"}, {"type": "uts"}, {"type": "mount"},
                  {"type": "network", "path": netns_path}]
    if cgroup_v2 and not privileged:
        namespaces.append({"type": "cgroup"})
    spec = {
        "ociVersion": "1.0.2-dev",
        "root": {"path": rootfs, "readonly": bool(sc.get("readOnlyRootFilesystem"))},
        "process": {
            "user": _user(sc, rootfs),
            "args": args,
            "env": _env(pod, container, extra_env),
            "cwd": container.get("workingDir") or "/",
            "capabilities": {"bounding": caps, "effective": caps, "permitted": caps},
            "noNewPrivileges": sc.get("allowPrivilegeEscalation") is False,
        },
        "hostname": "pod-shapes",
        "mounts": _base_mounts(privileged) + [_bind(m) for m in mounts],
        "linux": {
            "namespaces": namespaces,
            "resources": {"devices": [{"allow": False, "access": "rwm"}]},
            "maskedPaths": [] if privileged or unmasked else list(KUBELET_MASKED_PATHS),
            "readonlyPaths": [] if privileged or unmasked else list(KUBELET_READONLY_PATHS),
        },
    }
    profile = seccomp_profile(choice, caps, node, runtime_default, localhost_dir)
    if profile is not None:
        spec["linux"]["seccomp"] = profile
    return spec, Grant(caps=caps, seccomp=choice.kind, no_new_privs=spec["process"][
        "noNewPrivileges"], uid=spec["process"]["user"]["uid"])


@dataclasses.dataclass(frozen=True)
class Grant:
    """What the container ends up with, for the matrix table."""
    caps: list
    seccomp: str
    no_new_privs: bool
    uid: int
