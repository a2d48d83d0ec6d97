"""Runs a (patched) Pod the way kubelet would, on the private containerd of containerd_env.py:
the pod's volumes as host directories (emptyDir: mode 0777; downwardAPI: the atomic writer's
layout with the annotation values), the CRI files (/etc/hosts, /etc/hostname,
/etc/resolv.conf, /dev/termination-log), then every init container in order (a failing one
stops the pod, as restartPolicy Never would), then one regular container. Every container gets
its own overlay rootfs over one shared image directory (containerd's overlayfs snapshotter does
the same), and joins the pod's network namespace.

`run_container(..., command=...)` runs the same container spec with another command: the matrix
uses it for the baseline (the agent without the launcher)."""
import dataclasses
import datetime
import os
import re
import shutil
import subprocess

import cri_spec

RUN_TIMEOUT_S = 60  # the probe's network attempts time out after 5 s each
ANNOTATION_REF = re.compile(r"^metadata\.annotations\['([^']+)'\]$")


@dataclasses.dataclass
class ContainerRun:
    name: str
    spec: dict
    grant: cri_spec.Grant
    result: object  # containerd_env.RunResult


class Pod:
    """One pod's host-side state: its directory, volumes and network."""

    def __init__(self, pod, workdir, network):
        self.pod = pod
        self.dir = workdir
        self.network = network
        self.volumes = {}
        os.makedirs(self.dir)
        for volume in pod.get("spec", {}).get("volumes") or []:
            self.volumes[volume["name"]] = self._make_volume(volume)
        self._cri_files()

    def _make_volume(self, volume):
        path = os.path.join(self.dir, "volumes", volume["name"])
        if "emptyDir" in volume:
            os.makedirs(path)
            os.chmod(path, 0o777)  # K6: pkg/volume/emptydir
            return path
        if "downwardAPI" in volume:
            return self._downward_api(path, volume["downwardAPI"])
        kinds = sorted(k for k in volume if k != "name")
        raise cri_spec.SpecError(f"volume {volume['name']}: {kinds} is not modelled")

    def _downward_api(self, path, source):
        """K6: pkg/volume/util/atomic_writer.go: ..data -> ..TIMESTAMP/, ITEM -> ..data/ITEM."""
        stamp = ".." + datetime.datetime.now().strftime("%Y_%m_%d_%H_%M_%S.%f")
        os.makedirs(os.path.join(path, stamp))
        os.chmod(path, 0o777)
        os.symlink(stamp, os.path.join(path, "..data"))
        annotations = self.pod.get("metadata", {}).get("annotations") or {}
        for item in source.get("items") or []:
            ref = ANNOTATION_REF.match(item.get("fieldRef", {}).get("fieldPath", ""))
            if ref is None:
                raise cri_spec.SpecError(f"downwardAPI item {item}: only annotations are modelled")
            target = os.path.join(path, stamp, item["path"])
            with open(target, "w") as f:
                f.write(annotations.get(ref.group(1), ""))
            os.chmod(target, item.get("mode", source.get("defaultMode", 0o644)))
            os.symlink(os.path.join("..data", item["path"]), os.path.join(path, item["path"]))
        return path

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


class PodRunner:
    """`runtime`: runs an OCI spec (runc_runtime.RuncRuntime or containerd_env.Containerd);
    `runtime_default(caps)`: containerd's RuntimeDefault profile for those capabilities;
    `image`: the image directory (read-only lower layer); `extra_mounts`: read-only host
    directories the test adds to every container (a dynamically linked launcher's libraries in
    sanitizer builds); `extra_env`: harness-only environment (sanitizer options)."""

    def __init__(self, runtime, runtime_default, image, workdir, localhost_dir, extra_mounts=(),
                 extra_env=()):
        self.runtime = runtime
        self.runtime_default = runtime_default
        self.image = image
        self.workdir = workdir
        self.localhost_dir = localhost_dir
        self.extra_mounts = list(extra_mounts)
        self.extra_env = list(extra_env)
        self.cgroup_v2 = os.path.exists("/sys/fs/cgroup/cgroup.controllers")
        self.all_caps = cri_spec.current_capabilities()
        self._count = 0
        self._runs = 0

    def pod(self, pod, network):
        self._count += 1
        return Pod(pod, os.path.join(self.workdir, f"pod-{self._count}"), network)

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
        self._runs += 1
        cid = f"jkps{os.getpid()}-{self._runs}-{role}-{container['name']}"
        sc = cri_spec.effective_security_context(pod.pod.get("spec", {}), container)
        rootfs = self._rootfs(pod, cid)
        try:
            spec, grant = cri_spec.container_spec(
                pod=pod.pod, container=container, node=node, rootfs=rootfs,
                mounts=pod.mounts_for(container, bool(sc.get("readOnlyRootFilesystem")))
                + self.extra_mounts,
                netns_path=pod.network.path, runtime_default=self.runtime_default,
                localhost_dir=self.localhost_dir, all_caps=self.all_caps, cgroup_v2=self.cgroup_v2,
                extra_env=self.extra_env)
            result = self.runtime.run(cid, spec, RUN_TIMEOUT_S)
        finally:
            _unmount(rootfs)
        return ContainerRun(container["name"], spec, grant, result)

    def _rootfs(self, pod, cid):
        base = os.path.join(pod.dir, "rootfs-" + cid)
        upper, work, merged = (os.path.join(base, d) for d in ("upper", "work", "merged"))
        for d in (upper, work, merged):
            os.makedirs(d)
        done = subprocess.run(["mount", "-t", "overlay", "overlay", "-o",
                               f"lowerdir={self.image},upperdir={upper},workdir={work}", merged],
                              capture_output=True, text=True)
        if done.returncode != 0:  # no overlayfs here: a private copy behaves the same
            shutil.rmtree(merged)
            shutil.copytree(self.image, merged, symlinks=True)
        return merged


def _unmount(path):
    subprocess.run(["umount", path], capture_output=True)
