# seccompjail: the BPF program run in forked children, address parsing, the decision table, and
# start/available on this kernel (skipped with the reason where seccomp notification is missing),
# the connector's loopback pairs.
jk_test(launcher_seccompjail_test SOURCES
        ${CMAKE_CURRENT_LIST_DIR}/filter_test.cpp
        ${CMAKE_CURRENT_LIST_DIR}/target_test.cpp
        ${CMAKE_CURRENT_LIST_DIR}/policy_test.cpp
        ${CMAKE_CURRENT_LIST_DIR}/start_test.cpp
        ${CMAKE_CURRENT_LIST_DIR}/loopback_test.cpp
        ${CMAKE_CURRENT_LIST_DIR}/message_test.cpp
        LIBS jk_launcher_seccompjail)
