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
