# launcher/sys: capabilities, seccomp deny-list, Landlock, process and probe helpers; errno
# errors and EINTR retry, files, sockets and datagrams, events, signals and children. The
# seccomp/Landlock/lockdown checks run in forked children; Landlock checks skip below ABI 4.
jk_test(launcher_sys_test SOURCES
        ${CMAKE_CURRENT_LIST_DIR}/capabilities_test.cpp
        ${CMAKE_CURRENT_LIST_DIR}/seccomp_filter_test.cpp
        ${CMAKE_CURRENT_LIST_DIR}/process_test.cpp
        ${CMAKE_CURRENT_LIST_DIR}/landlock_test.cpp
        ${CMAKE_CURRENT_LIST_DIR}/probes_test.cpp
        ${CMAKE_CURRENT_LIST_DIR}/errno_error_test.cpp
        ${CMAKE_CURRENT_LIST_DIR}/file_io_test.cpp
        ${CMAKE_CURRENT_LIST_DIR}/socket_test.cpp
        ${CMAKE_CURRENT_LIST_DIR}/signals_test.cpp
        LIBS jk_launcher_sys)
