# nsjail: real jails (privileged; each test skips with the probe's reason where they cannot run).
jk_test(launcher_nsjail_test SOURCES nsjail_test.cpp
        handover_test.cpp
        proc_view_test.cpp
        LIBS jk_launcher_nsjail)
