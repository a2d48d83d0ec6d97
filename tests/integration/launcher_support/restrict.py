"""Runs a command with less privilege than this test process, to reproduce a node profile:
  --drop-caps     no capabilities at all (bounding, ambient, effective, permitted, inheritable)
  --caps=N,N,...  only these capability numbers (bounding, effective, permitted), e.g. a
                  container runtime's default set plus what the webhook adds
  --no-userns     unshare/setns/clone with CLONE_NEW* refused (EPERM), clone3 ENOSYS: like the
                  default seccomp profile of container runtimes
  --no-newuser    only new user namespaces refused (EPERM), as with user.max_user_namespaces=0
  --no-landlock   landlock_* answer ENOSYS, as on a kernel without Landlock
Usage: python3 restrict.py [OPTIONS] -- PROGRAM [ARGS...]   (x86_64 syscall numbers)"""
import ctypes
import os
import struct
import sys

PR_SET_NO_NEW_PRIVS, PR_SET_SECCOMP, PR_CAPBSET_DROP = 38, 22, 24
PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL = 47, 4
SECCOMP_MODE_FILTER = 2
LD_W_ABS, JEQ_K, JSET_K, RET_K = 0x20, 0x15, 0x45, 0x06
RET_ERRNO, RET_ALLOW = 0x00050000, 0x7FFF0000
EPERM, ENOSYS = 1, 38
NR_CLONE, NR_UNSHARE, NR_SETNS, NR_CLONE3 = 56, 272, 308, 435
LANDLOCK = (444, 445, 446)
CLONE_NEW_ANY = 0x7E020080  # NEWNS|NEWCGROUP|NEWUTS|NEWIPC|NEWUSER|NEWPID|NEWNET|NEWTIME
CLONE_NEWUSER = 0x10000000
SYS_CAPSET = 126

libc = ctypes.CDLL(None, use_errno=True)


def insn(code, k, jt=0, jf=0):
    return struct.pack("HBBI", code, jt, jf, k)


def deny(nr, error):
    return insn(JEQ_K, nr, 0, 1) + insn(RET_K, RET_ERRNO | error)


class SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def deny_flags(nr, mask):
    """nr with any of `mask` in its first argument -> EPERM; must come last (reloads A)."""
    return (insn(JEQ_K, nr, 0, 3) + insn(LD_W_ABS, 16)  # args[0], low half
            + insn(JSET_K, mask, 0, 1) + insn(RET_K, RET_ERRNO | EPERM))


def install_filter(namespace_mask, no_landlock):
    program = insn(LD_W_ABS, 0)  # seccomp_data.nr
    if no_landlock:
        program += b"".join(deny(nr, ENOSYS) for nr in LANDLOCK)
    if namespace_mask:
        program += deny(NR_CLONE3, ENOSYS)
        if namespace_mask == CLONE_NEW_ANY:
            program += deny(NR_SETNS, EPERM)
        program += insn(JEQ_K, NR_UNSHARE, 0, 3) + insn(LD_W_ABS, 16)  # unshare: load args[0]
        program += insn(JSET_K, namespace_mask, 0, 1) + insn(RET_K, RET_ERRNO | EPERM)
        program += insn(LD_W_ABS, 0)  # back to the syscall number
        program += deny_flags(NR_CLONE, namespace_mask)
    program += insn(RET_K, RET_ALLOW)
    buffer = ctypes.create_string_buffer(program, len(program))
    fprog = SockFprog(len(program) // 8, ctypes.addressof(buffer))
    check(libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "PR_SET_NO_NEW_PRIVS")
    check(libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(fprog), 0, 0),
          "PR_SET_SECCOMP")


def keep_capabilities(keep):
    last = int(open("/proc/sys/kernel/cap_last_cap").read())
    for cap in range(last + 1):
        if cap not in keep:
            check(libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0), "PR_CAPBSET_DROP")
    check(libc.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0), "ambient clear")
    mask = sum(1 << cap for cap in keep)
    low, high = mask & 0xFFFFFFFF, mask >> 32
    header = struct.pack("Ii", 0x20080522, 0)  # _LINUX_CAPABILITY_VERSION_3, this process
    data = struct.pack("IIIIII", low, low, 0, high, high, 0)  # effective, permitted, inheritable
    check(libc.syscall(SYS_CAPSET, header, data), "capset")


def check(rc, what):
    if rc != 0:
        sys.exit("restrict.py: %s failed: errno %d" % (what, ctypes.get_errno()))


def main():
    args = sys.argv[1:]
    separator = args.index("--")
    options, command = set(args[:separator]), args[separator + 1:]
    if "--drop-caps" in options:
        keep_capabilities(set())
    for option in options:
        if option.startswith("--caps="):
            keep_capabilities({int(n) for n in option[len("--caps="):].split(",") if n})
    mask = CLONE_NEW_ANY if "--no-userns" in options else 0
    mask = CLONE_NEWUSER if "--no-newuser" in options and not mask else mask
    if mask or "--no-landlock" in options:
        install_filter(mask, "--no-landlock" in options)
    os.execv(command[0], command)


if __name__ == "__main__":
    main()
