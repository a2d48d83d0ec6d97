"""Runs a command with Landlock made unavailable: a seccomp filter answers ENOSYS to
landlock_create_ruleset/add_rule/restrict_self (x86_64 numbers 444-446), as on an old kernel.
Usage: python3 no_landlock.py PROGRAM [ARGS...]"""
import ctypes
import os
import struct
import sys

PR_SET_NO_NEW_PRIVS = 38
PR_SET_SECCOMP = 22
SECCOMP_MODE_FILTER = 2
BPF_LD_W_ABS, BPF_JEQ_K, BPF_RET_K = 0x20, 0x15, 0x06
RET_ERRNO, RET_ALLOW, ENOSYS = 0x00050000, 0x7FFF0000, 38
LANDLOCK_SYSCALLS = (444, 445, 446)


def insn(code, k, jt=0, jf=0):
    return struct.pack("HBBI", code, jt, jf, k)


class SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def main():
    program = insn(BPF_LD_W_ABS, 0)  # seccomp_data.nr
    for nr in LANDLOCK_SYSCALLS:
        program += insn(BPF_JEQ_K, nr, 0, 1) + insn(BPF_RET_K, RET_ERRNO | ENOSYS)
    program += insn(BPF_RET_K, RET_ALLOW)
    buffer = ctypes.create_string_buffer(program, len(program))
    fprog = SockFprog(len(program) // 8, ctypes.addressof(buffer))
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        sys.exit("PR_SET_NO_NEW_PRIVS failed")
    if libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(fprog), 0, 0) != 0:
        sys.exit("PR_SET_SECCOMP failed: errno %d" % ctypes.get_errno())
    os.execv(sys.argv[1], sys.argv[1:])


if __name__ == "__main__":
    main()
