"""Runs a (patched) Pod the way kubelet would, on the private containerd of containerd_env.py:
the pod's volumes as host directories (emptyDir: mode 0777; downwardAPI, configMap, secret and
projected: the atomic writer's layout with the values the test supplies; fsGroup: the volume
ownership kubelet sets), the CRI files (/etc/hosts, /etc/hostname, /etc/resolv.conf,
/dev/termination-log), then every init container in order (a failing one stops the pod, as
restartPolicy Never would), then one regular container. Every container gets its own overlay
rootfs over its image directory (containerd's overlayfs snapshotter does the same), and joins
the pod's network namespace.

`run_container(..., command=...)` runs the same container spec with another command: the matrix
uses it for the baseline (the agent without the launcher). `start_container` /
`stop_container` run a server container (tests/integration/test_image.py: the webhook).

Upstream rules beyond cri_spec.py's:
  K9  pkg/volume/volume_linux.go SetVolumeOwnership (with fsGroup): see _set_volume_ownership.
"""
import dataclasses
import datetime
import os
import shutil
import stat
import subprocess

import cri_spec

RUN_TIMEOUT_S = 60  # the probe's network attempts time out after 5 s each


@dataclasses.dataclass
class ContainerRun:
    name: str
    spec: dict
    grant: cri_spec.Grant
    result: object  # containerd_env.RunResult


@dataclasses.dataclass
class RunningContainer:
    name: str
    spec: dict
    grant: cri_spec.Grant
    process: object  # containerd_env.Spawned
    rootfs: str


class Pod:
    """One pod's host-side state: its directory, volumes and network. `objects`: what the API
    server would hold for the pod's configMap, secret and projected volumes:
    {("ConfigMap" | "Secret", NAME): {KEY: str | bytes}, ("ServiceAccountToken", SA): token}."""

    def __init__(self, pod, workdir, network, objects=None):
        self.pod = pod
        self.dir = workdir
        self.network = network
        self.objects = objects or {}
        self.volumes = {}
        os.makedirs(self.dir)
        fs_group = (pod.get("spec", {}).get("securityContext") or {}).get("fsGroup")
        for volume in pod.get("spec", {}).get("volumes") or []:
            path, read_only = self._make_volume(volume)
            if fs_group is not None:
                _set_volume_ownership(path, int(fs_group), read_only)
            self.volumes[volume["name"]] = path
        self._cri_files()

    def _make_volume(self, volume):
        """The volume's host directory and whether kubelet treats it as read-only (K9)."""
        path = os.path.join(self.dir, "volumes", volume["name"])
        if "emptyDir" in volume:
            os.makedirs(path)
            os.chmod(path, 0o777)  # K6: pkg/volume/emptydir
            return path, False
        sources = {"downwardAPI": lambda v: [{"downwardAPI": v}],
                   "configMap": lambda v: [{"configMap": v}],
                   "secret": lambda v: [{"secret": dict(v, name=v.get("secretName"))}],
                   "projected": lambda v: v.get("sources") or []}
        kind = next((k for k in sources if k in volume), None)
        if kind is None:
            kinds = sorted(k for k in volume if k != "name")
            raise cri_spec.SpecError(f"volume {volume['name']}: {kinds} is not modelled")
        files = []
        for source in sources[kind](volume[kind]):
            files += self._projection(source)
        _atomic_write(path, files, volume[kind].get("defaultMode", 0o644))
        return path, True

    def _projection(self, source):
        """[(path, bytes, mode or None)] of one volume source (pkg/volume/{configmap,secret,
        downwardapi,projected}: every key, or the listed items)."""
        if "downwardAPI" in source:
            return [(item["path"], cri_spec.field_value(
                self.pod, item.get("fieldRef", {}).get("fieldPath", "")).encode(),
                item.get("mode")) for item in source["downwardAPI"].get("items") or []]
        if "serviceAccountToken" in source:
            account = self.pod.get("spec", {}).get("serviceAccountName") or "default"
            token = self._object("ServiceAccountToken", account)
            return [(source["serviceAccountToken"]["path"], _bytes(token), None)]
        kind = "ConfigMap" if "configMap" in source else "Secret"
        spec = source.get("configMap") or source.get("secret") or {}
        data = self._object(kind, spec.get("name"))
        items = spec.get("items") or [{"key": k, "path": k} for k in sorted(data)]
        out = []
        for item in items:
            if item["key"] not in data:
                raise cri_spec.SpecError(f"{kind} {spec.get('name')}: no key {item['key']}")
            out.append((item["path"], _bytes(data[item["key"]]), item.get("mode")))
        return out

    def _object(self, kind, name):
        if (kind, name) not in self.objects:
            raise cri_spec.SpecError(f"{kind} {name}: the test gave no such object (kubelet "
                                     "would wait for it: ContainerCreating)")
        return self.objects[(kind, name)]

    def _cri_files(self):
        """C5: the sandbox's /etc/hosts, /etc/hostname and /etc/resolv.conf."""
        files = os.path.join(self.dir, "cri")
        os.makedirs(files)
        contents = {"hosts": f"127.0.0.1\tlocalhost\n{self.network.pod_ip}\tpod-shapes\n",
                    "hostname": "pod-shapes\n",
                    "resolv.conf": f"nameserver {self.network.host_ip}\n"}
        for name, text in contents.items():
            with open(os.path.join(files, name), "w") as f:
                f.write(text)
            os.chmod(os.path.join(files, name), 0o644)
        self.cri_dir = files

    def mounts_for(self, container, read_only_rootfs):
        mounts = [cri_spec.Mount(os.path.join(self.cri_dir, name), "/etc/" + name,
                                 read_only_rootfs)
                  for name in ("hosts", "hostname", "resolv.conf")]
        log = os.path.join(self.dir, "termination-log-" + container["name"])
        open(log, "w").close()
        os.chmod(log, 0o666)
        mounts.append(cri_spec.Mount(log, container.get("terminationMessagePath",
                                                        "/dev/termination-log"), False))
        for vm in container.get("volumeMounts") or []:
            if vm.get("subPath") or vm.get("subPathExpr"):
                raise cri_spec.SpecError(f"volumeMount {vm['name']}: subPath is not modelled")
            if vm["name"] not in self.volumes:
                raise cri_spec.SpecError(f"volumeMount {vm['name']}: no such volume")
            mounts.append(cri_spec.Mount(self.volumes[vm["name"]], vm["mountPath"],
                                         bool(vm.get("readOnly"))))
        return mounts


def _bytes(value):
    return value if isinstance(value, bytes) else str(value).encode()


def _atomic_write(path, files, default_mode):
    """K6: pkg/volume/util/atomic_writer.go: the volume directory (a wrapped emptyDir, 0777)
    holds ..TIMESTAMP/ with the files, ..data -> ..TIMESTAMP, and one symlink per top-level
    entry -> ..data/ENTRY."""
    stamp = ".." + datetime.datetime.now().strftime("%Y_%m_%d_%H_%M_%S.%f")
    os.makedirs(os.path.join(path, stamp))
    os.chmod(path, 0o777)
    os.symlink(stamp, os.path.join(path, "..data"))
    for relative, data, mode in files:
        target = os.path.join(path, stamp, relative)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as f:
            f.write(data)
        os.chmod(target, default_mode if mode is None else mode)
        top = relative.split("/")[0]
        if not os.path.lexists(os.path.join(path, top)):
            os.symlink(os.path.join("..data", top), os.path.join(path, top))


def _set_volume_ownership(path, fs_group, read_only):
    """K9: pkg/volume/volume_linux.go SetVolumeOwnership: every entry's group becomes fsGroup;
    files and directories gain 0440 (read-only volumes) or 0660, directories also setgid and
    0110; symlinks keep their mode."""
    mask = 0o440 if read_only else 0o660
    for dirpath, dirs, files in os.walk(path):
        for name in [None, *dirs, *files]:
            entry = dirpath if name is None else os.path.join(dirpath, name)
            os.lchown(entry, -1, fs_group)
            info = os.lstat(entry)
            if stat.S_ISLNK(info.st_mode):
                continue
            extra = mask | (stat.S_ISGID | 0o110 if stat.S_ISDIR(info.st_mode) else 0)
            os.chmod(entry, stat.S_IMODE(info.st_mode) | extra)


class PodRunner:
    """`runtime`: runs an OCI spec (runc_runtime.RuncRuntime or containerd_env.Containerd);
    `runtime_default(caps)`: containerd's RuntimeDefault profile for those capabilities;
    `image`: the image directory (read-only lower layer), or `images`: {image reference:
    directory}, each container getting the one its `image` names (the image store of the node);
    `extra_mounts`: read-only host directories the test adds to every container (a dynamically
    linked launcher's libraries in sanitizer builds); `extra_env`: harness-only environment
    (sanitizer options; the API server's service environment)."""

    def __init__(self, runtime, runtime_default, image, workdir, localhost_dir, extra_mounts=(),
                 extra_env=(), images=None):
        self.runtime = runtime
        self.runtime_default = runtime_default
        self.image = image
        self.images = dict(images or {})
        self.workdir = workdir
        self.localhost_dir = localhost_dir
        self.extra_mounts = list(extra_mounts)
        self.extra_env = list(extra_env)
        self.cgroup_v2 = os.path.exists("/sys/fs/cgroup/cgroup.controllers")
        self.all_caps = cri_spec.current_capabilities()
        self._count = 0
        self._runs = 0

    def pod(self, pod, network, objects=None):
        self._count += 1
        return Pod(pod, os.path.join(self.workdir, f"pod-{self._count}"), network, objects)

    def run_init_containers(self, pod, node):
        """Each init container in order; the first that fails is returned (else None)."""
        for container in pod.pod.get("spec", {}).get("initContainers") or []:
            run = self.run_container(pod, container, node, role="init")
            if run.result.exit_code != 0:
                return run
        return None

    def run_container(self, pod, container, node, role, command=None):
        """Runs `container` of `pod` to completion; `command` replaces command + args."""
        if command is not None:
            container = dict(container, command=list(command), args=[])
        cid, spec, grant, rootfs = self._create(pod, container, node, role)
        try:
            result = self.runtime.run(cid, spec, RUN_TIMEOUT_S)
        finally:
            _unmount(rootfs)
        return ContainerRun(container["name"], spec, grant, result)

    def start_container(self, pod, container, node, role):
        """Starts `container` of `pod` and returns at once (a server); the runtime must be
        containerd_env.Containerd. stop_container() ends it."""
        cid, spec, grant, rootfs = self._create(pod, container, node, role)
        try:
            process = self.runtime.spawn(cid, spec)
        except BaseException:
            _unmount(rootfs)
            raise
        return RunningContainer(container["name"], spec, grant, process, rootfs)

    def stop_container(self, running, signal="SIGTERM"):
        """Sends `signal` (kubelet's stop) and waits for the exit (SIGKILL after the grace
        period); returns its RunResult."""
        try:
            return self.runtime.stop(running.process, signal)
        finally:
            _unmount(running.rootfs)

    def _create(self, pod, container, node, role):
        """(container id, OCI spec, Grant, rootfs) for `container` of `pod`."""
        self._runs += 1
        cid = f"jkps{os.getpid()}-{self._runs}-{role}-{container['name']}"
        sc = cri_spec.effective_security_context(pod.pod.get("spec", {}), container)
        rootfs = self._rootfs(pod, cid, self._image_for(container))
        try:
            spec, grant = cri_spec.container_spec(
                pod=pod.pod, container=container, node=node, rootfs=rootfs,
                mounts=pod.mounts_for(container, bool(sc.get("readOnlyRootFilesystem")))
                + self.extra_mounts,
                netns_path=pod.network.path, runtime_default=self.runtime_default,
                localhost_dir=self.localhost_dir, all_caps=self.all_caps, cgroup_v2=self.cgroup_v2,
                extra_env=self.extra_env)
        except BaseException:
            _unmount(rootfs)
            raise
        return cid, spec, grant, rootfs

    def _image_for(self, container):
        if not self.images:
            return self.image
        if container.get("image") not in self.images:
            raise cri_spec.SpecError(f"container {container['name']}: image "
                                     f"{container.get('image')!r} is not in the node's image "
                                     f"store {sorted(self.images)} (ErrImagePull)")
        return self.images[container["image"]]

    def _rootfs(self, pod, cid, image):
        base = os.path.join(pod.dir, "rootfs-" + cid)
        upper, work, merged = (os.path.join(base, d) for d in ("upper", "work", "merged"))
        for d in (upper, work, merged):
            os.makedirs(d)
        done = subprocess.run(["mount", "-t", "overlay", "overlay", "-o",
                               f"lowerdir={image},upperdir={upper},workdir={work}", merged],
                              capture_output=True, text=True)
        if done.returncode != 0:  # no overlayfs here: a private copy behaves the same
            shutil.rmtree(merged)
            shutil.copytree(image, merged, symlinks=True)
        return merged


def _unmount(path):
    subprocess.run(["umount", path], capture_output=True)
