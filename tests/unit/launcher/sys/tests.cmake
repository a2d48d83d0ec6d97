# launcher/sys: capabilities, seccomp deny-list, Landlock, process and probe helpers; errno
# errors and EINTR retry, files, sockets and datagrams, events, signals and children. The
# seccomp/Landlock/lockdown checks run in forked children; Landlock checks skip below ABI 4.
jk_test(launcher_sys_test SOURCES
        capabilities_test.cpp
        seccomp_filter_test.cpp
        process_test.cpp
        landlock_test.cpp
        probes_test.cpp
        errno_error_test.cpp
        file_io_test.cpp
        socket_test.cpp
        signals_test.cpp
        LIBS jk_launcher_sys)

# The seccomp filters of every architecture as data: each syscall table against the target's
# kernel headers (compile time and run time), the deny-list and the seccompjail filter built for
# x86_64 and aarch64 and run by a BPF interpreter. No kernel feature: the arm64 cross build runs
# it under qemu-user (scripts/arm64.sh).
jk_test(launcher_seccomp_arch_test SOURCES
        bpf_run.cpp
        syscall_table_generic.cpp
        syscall_table_test.cpp
        seccomp_arch_test.cpp
        ../jail/seccompjail/filter_arch_test.cpp
        LIBS jk_launcher_seccompjail)
