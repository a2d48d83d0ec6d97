# nsjail: real jails (privileged; each test skips with the probe's reason where they cannot run).
jk_test(launcher_nsjail_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/nsjail_test.cpp
        ${CMAKE_CURRENT_LIST_DIR}/handover_test.cpp
        ${CMAKE_CURRENT_LIST_DIR}/proc_view_test.cpp
        LIBS jk_launcher_nsjail)
