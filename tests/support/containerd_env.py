"""A private containerd (Debian's containerd 1.6 + runc) for the real-runtime tests: its own
socket, root and state directories under a temp dir, the CRI plugin disabled, a namespace of its
own; stopped (and its containers removed) by close().

Two uses:
- runtime_default(caps): containerd's RuntimeDefault seccomp profile for a bounding capability
  set, exactly as containerd generates it (`ctr c create --seccomp` with those capabilities,
  read back from `ctr c info`; contrib/seccomp DefaultProfile computes it from the bounding set).
- run(id, spec): runs a complete OCI spec (`ctr run --config`) through containerd's runc shim and
  returns its exit status and output.
"""
import collections
import json
import os
import shutil
import subprocess
import threading

from cri_spec import CONTAINERD_DEFAULT_CAPS
from runc_runtime import RunResult, RuntimeUnavailable, text_of

BOOT_TIMEOUT_S = 30
CTR_TIMEOUT_S = 60
BOOTED = "containerd successfully booted"
STOP_GRACE_S = 30  # the chart's terminationGracePeriodSeconds


class Spawned:
    """A container started by Containerd.spawn: `ctr run` in the background, its stdout and
    stderr collected line by line (the webhook logs JSON lines to stderr)."""

    def __init__(self, cid, proc):
        self.cid = cid
        self.proc = proc
        self.stdout, self.stderr = [], []
        self.exited = threading.Event()
        self._cond = threading.Condition()
        self._finished = 0
        self._readers = [threading.Thread(target=self._read, args=(stream, lines), daemon=True)
                         for stream, lines in ((proc.stdout, self.stdout),
                                               (proc.stderr, self.stderr))]
        for reader in self._readers:
            reader.start()

    def _read(self, stream, lines):
        for line in stream:
            with self._cond:
                lines.append(line)
                self._cond.notify_all()
        with self._cond:
            self._finished += 1
            if self._finished == len(self._readers):  # both pipes closed: ctr has exited
                self.exited.set()
            self._cond.notify_all()

    def wait_for_line(self, predicate, timeout):
        """The first stderr line for which predicate(line) holds, waiting up to `timeout` s;
        None when the container exits or the time runs out first."""
        with self._cond:
            seen = 0
            found = None

            def ready():
                nonlocal seen, found
                for line in self.stderr[seen:]:
                    seen += 1
                    if predicate(line):
                        found = line
                        return True
                return self.exited.is_set()
            self._cond.wait_for(ready, timeout)
            return found

    def readers_done(self):
        for reader in self._readers:
            reader.join(timeout=CTR_TIMEOUT_S)
        self.proc.stdout.close()
        self.proc.stderr.close()


class Containerd:
    def __init__(self, workdir):
        for tool in ("containerd", "ctr", "runc", "containerd-shim-runc-v2"):
            if shutil.which(tool) is None:
                raise RuntimeUnavailable(f"{tool} is not installed (Debian: containerd, runc)")
        self.dir = os.path.join(workdir, "containerd")
        os.makedirs(self.dir, exist_ok=True)
        self.socket = os.path.join(self.dir, "containerd.sock")
        self.namespace = f"jk-pod-shapes-{os.getpid()}"
        self.log = collections.deque(maxlen=200)
        self._booted = threading.Event()
        self._profiles = {}
        self._containers = set()
        self.proc = None

    def start(self):
        config = os.path.join(self.dir, "config.toml")
        with open(config, "w") as f:
            f.write(f'version = 2\nroot = "{self.dir}/root"\nstate = "{self.dir}/state"\n'
                    'disabled_plugins = ["io.containerd.grpc.v1.cri"]\n'
                    f'[grpc]\n  address = "{self.socket}"\n'
                    f'[ttrpc]\n  address = "{self.socket}.ttrpc"\n')
        self.proc = subprocess.Popen(["containerd", "--config", config], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE, text=True)
        threading.Thread(target=self._read_log, daemon=True).start()
        if not self._booted.wait(BOOT_TIMEOUT_S) or self.proc.poll() is not None:
            self.close()
            raise RuntimeUnavailable("containerd did not start:\n" + "\n".join(self.log))
        return self

    def _read_log(self):
        for line in self.proc.stderr:
            self.log.append(line.rstrip())
            if BOOTED in line:
                self._booted.set()
        self._booted.set()  # exited: start() looks at poll()

    def ctr(self, *args, timeout=CTR_TIMEOUT_S):
        return subprocess.run(["ctr", "-a", self.socket, "-n", self.namespace, *args],
                              capture_output=True, text=True, timeout=timeout)

    def runtime_default(self, caps):
        """containerd's RuntimeDefault profile for bounding set `caps` (CAP_ names), cached."""
        key = tuple(sorted(caps))
        if key not in self._profiles:
            self._profiles[key] = self._generate_profile(caps)
        return json.loads(json.dumps(self._profiles[key]))  # a copy the caller may change

    def _generate_profile(self, caps):
        cid = f"seccomp-{len(self._profiles)}"
        argv = ["c", "create", "--rootfs", "--seccomp"]
        argv += [a for c in CONTAINERD_DEFAULT_CAPS if c not in caps for a in ("--cap-drop", c)]
        argv += [a for c in caps if c not in CONTAINERD_DEFAULT_CAPS for a in ("--cap-add", c)]
        done = self.ctr(*argv, self.dir, cid)
        if done.returncode != 0:
            raise RuntimeUnavailable(f"ctr c create --seccomp: {done.stderr.strip()}")
        try:
            info = self.ctr("c", "info", cid)
            spec = json.loads(info.stdout)["Spec"]
        finally:
            self.ctr("c", "rm", cid)
        got = sorted(spec["process"].get("capabilities", {}).get("bounding") or [])
        if got != sorted(caps):
            raise RuntimeUnavailable(f"ctr made bounding set {got}, wanted {sorted(caps)}")
        return spec["linux"]["seccomp"]

    def run(self, cid, spec, timeout):
        """Runs `spec` as container `cid` to completion (killed after `timeout` seconds)."""
        path = os.path.join(self.dir, cid + ".json")
        with open(path, "w") as f:
            json.dump(spec, f)
        self._containers.add(cid)
        try:
            done = self.ctr("run", "--rm", "--config", path, cid, timeout=timeout)
            return RunResult(done.returncode, done.stdout, done.stderr)
        except subprocess.TimeoutExpired as e:
            return RunResult(-1, text_of(e.stdout), text_of(e.stderr), timed_out=True)
        finally:
            self.remove(cid)

    def spawn(self, cid, spec):
        """Starts `spec` as container `cid` (`ctr run`, like run()) and returns at once: a
        Spawned whose output lines can be awaited; stop() ends it."""
        path = os.path.join(self.dir, cid + ".json")
        with open(path, "w") as f:
            json.dump(spec, f)
        self._containers.add(cid)
        proc = subprocess.Popen(["ctr", "-a", self.socket, "-n", self.namespace, "run", "--rm",
                                 "--config", path, cid], stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        return Spawned(cid, proc)

    def stop(self, spawned, signal="SIGTERM", grace_s=STOP_GRACE_S):
        """Sends `signal` to the container's process (what kubelet does to stop it), waits up to
        `grace_s` for the exit, then kills it; returns its RunResult (timed_out: it had to be
        killed)."""
        self.ctr("task", "kill", "-s", signal, spawned.cid)
        timed_out = not spawned.exited.wait(grace_s)
        if timed_out:
            self.ctr("task", "kill", "-s", "SIGKILL", spawned.cid)
        try:
            code = spawned.proc.wait(timeout=CTR_TIMEOUT_S)
        finally:
            self.remove(spawned.cid)
        spawned.readers_done()
        return RunResult(code, "".join(spawned.stdout), "".join(spawned.stderr),
                         timed_out=timed_out)

    def remove(self, cid):
        """Kills and deletes `cid` if it is still there (after a timeout or a failed run)."""
        if self.ctr("c", "info", cid).returncode == 0:
            self.ctr("task", "kill", "-s", "KILL", cid)
            self.ctr("task", "delete", "-f", cid)
            self.ctr("c", "rm", cid)
        self._containers.discard(cid)

    def close(self):
        for cid in list(self._containers):
            self.remove(cid)
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=BOOT_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        # runc's state directory for our namespace (the shim's --root), empty by now.
        try:
            os.rmdir(os.path.join("/run/containerd/runc", self.namespace))
        except OSError:
            pass
