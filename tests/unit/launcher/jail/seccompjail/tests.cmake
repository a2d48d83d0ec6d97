# seccompjail: the BPF program run in forked children, address parsing, the decision table, and
# start/available on this kernel (skipped with the reason where seccomp notification is missing),
# the connector's loopback pairs.
jk_test(launcher_seccompjail_test SOURCES
        filter_test.cpp
        target_test.cpp
        policy_test.cpp
        start_test.cpp
        loopback_test.cpp
        message_test.cpp
        LIBS jk_launcher_seccompjail)
