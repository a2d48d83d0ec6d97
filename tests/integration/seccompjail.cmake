# seccompjail: escape tests against the real jail mechanism, with a stand-in proxy
# (tests/support/seccompjail_harness.cpp) and C probes compiled at test time.
add_executable(jk_seccompjail_harness ${PROJECT_SOURCE_DIR}/tests/support/seccompjail_harness.cpp)
target_link_libraries(jk_seccompjail_harness PRIVATE jk_launcher_seccompjail jk_launcher_net jk_warnings)
jk_py_test(seccompjail test_seccompjail ${CMAKE_CURRENT_LIST_DIR} 300
           "JK_SECCOMPJAIL_HARNESS=$<TARGET_FILE:jk_seccompjail_harness>"
           "JK_SECCOMP_PROBE_SRC=${PROJECT_SOURCE_DIR}/tests/support/seccomp_probe.c")
set_tests_properties(integration.seccompjail PROPERTIES LABELS privileged)
