"""Runs a complete OCI spec with runc directly (`runc run --bundle`), the way containerd's runc
shim does but without the shim's ~1 s of start-up per container: the matrix runs hundreds of
containers on two cores. The spec is the same either way; test_pod_shapes.py checks that a probe
reports the same through both (JK_POD_SHAPES_RUNTIME=containerd runs the whole matrix through
`ctr run` instead)."""
import dataclasses
import json
import os
import shutil
import subprocess


class RuntimeUnavailable(Exception):
    """containerd or runc is missing or cannot start here; the message says why."""


@dataclasses.dataclass
class RunResult:
    exit_code: int
    stdout: str
    stderr: str
    timed_out: bool = False

    def stderr_tail(self, lines=8):
        return "\n".join(self.stderr.strip().splitlines()[-lines:])


class RuncRuntime:
    def __init__(self, workdir):
        if shutil.which("runc") is None:
            raise RuntimeUnavailable("runc is not installed (Debian: runc)")
        self.dir = os.path.join(workdir, "runc")
        self.state = os.path.join(self.dir, "state")
        os.makedirs(self.state, exist_ok=True)

    def _runc(self, *args, timeout=60):
        return subprocess.run(["runc", "--root", self.state, *args], capture_output=True,
                              text=True, timeout=timeout)

    def run(self, cid, spec, timeout):
        """Runs `spec` as container `cid` to completion (killed after `timeout` seconds)."""
        bundle = os.path.join(self.dir, cid)
        os.makedirs(bundle)
        with open(os.path.join(bundle, "config.json"), "w") as f:
            json.dump(spec, f)
        try:
            done = self._runc("run", "--bundle", bundle, cid, timeout=timeout)
            return RunResult(done.returncode, done.stdout, done.stderr)
        except subprocess.TimeoutExpired as e:
            return RunResult(-1, text_of(e.stdout), text_of(e.stderr), timed_out=True)
        finally:
            self._runc("kill", cid, "KILL")
            self._runc("delete", "--force", cid)
            shutil.rmtree(bundle, ignore_errors=True)

    def close(self):
        pass


def text_of(value):
    if value is None:
        return ""
    return value.decode(errors="replace") if isinstance(value, bytes) else value
