"""The image the pod-shape matrix runs: one directory with the static launcher at
/jailkeeper-launch (what `jailkeeper-init` installs) and the static probe at /probe; and what a
dynamically linked launcher (sanitizer builds) needs from the host."""
import json
import os
import shutil
import struct
import subprocess

import cri_spec


def build_image(work, launcher, probe_source):
    """The agent/launcher image: the static launcher at /jailkeeper-launch (stripped: the
    init container copies it into every pod), the static probe at /probe and a setuid-root copy
    at /probe-suid, and the directories a distroless image has."""
    image = os.path.join(work, "image")
    for d in ("tmp", "mnt", "etc", "proc", "sys", "dev", "jailkeeper/bin", "jailkeeper/spec"):
        os.makedirs(os.path.join(image, d))
    os.chmod(os.path.join(image, "tmp"), 0o1777)
    subprocess.run(["strip", "-o", os.path.join(image, "jailkeeper-launch"), launcher],
                   check=True)
    probe = os.path.join(image, "probe")
    subprocess.run(["cc", "-static", "-O2", "-o", probe, probe_source], check=True,
                   stderr=subprocess.DEVNULL)
    # A setuid-root copy: what an exec can gain (pod_probe's exec_gains_caps).
    shutil.copy(probe, probe + "-suid")
    os.chmod(probe + "-suid", 0o4755)
    return image


def write_localhost_profile(directory, name, containerd):
    """A Localhost profile as operators make them: a copy of the runtime's default profile
    (containerd's, for its default capabilities), at `directory`/`name`."""
    path = os.path.join(directory, name)
    os.makedirs(os.path.dirname(path))
    with open(path, "w") as f:
        json.dump(containerd.runtime_default(list(cri_spec.CONTAINERD_DEFAULT_CAPS)), f)


def dynamically_linked(binary):
    """True when the ELF file has a PT_INTERP program header (x86-64 little-endian layout)."""
    with open(binary, "rb") as f:
        header = f.read(64)
        phoff, = struct.unpack_from("<Q", header, 0x20)
        phentsize, phnum = struct.unpack_from("<HH", header, 0x36)
        f.seek(phoff)
        table = f.read(phentsize * phnum)
    return any(struct.unpack_from("<I", table, i * phentsize)[0] == 3 for i in range(phnum))


def sanitizer_support(binary, image):
    """A dynamically linked launcher (sanitizer builds) needs the host's libraries and loader
    in the image: the host's library symlinks (merged /usr: /lib -> usr/lib) recreated in
    `image`, read-only bind mounts of the library directories, and the sanitizer options of the
    test's environment. (mounts, env); nothing for a static launcher."""
    if not dynamically_linked(binary):
        return [], []
    mounts = []
    for path in ("/lib", "/lib32", "/lib64", "/usr/lib", "/usr/lib32", "/usr/lib64"):
        if os.path.islink(path):
            os.makedirs(os.path.dirname(image + path), exist_ok=True)
            os.symlink(os.readlink(path), image + path)
        elif os.path.isdir(path):
            mounts.append(cri_spec.Mount(path, path, True))
    env = [f"{k}={os.environ[k]}" for k in ("ASAN_OPTIONS", "UBSAN_OPTIONS") if k in os.environ]
    return mounts, env
