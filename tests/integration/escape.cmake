# Escape tests (issue 5): a static C probe (compiled at test time) tries every way out of the
# nsjail jail, driven through jk_nsjail_harness (stand-in proxy) and the real jailkeeper-launch.
# Privileged: must run as root; skips with the reason when namespaces or nf_tables are missing.
add_executable(jk_nsjail_harness ${PROJECT_SOURCE_DIR}/tests/support/nsjail_harness.cpp)
target_link_libraries(jk_nsjail_harness PRIVATE jk_launcher_nsjail jk_launcher_net jk_warnings)
jk_py_test(escape test_escape ${CMAKE_CURRENT_LIST_DIR} 600
           "JK_NSJAIL_HARNESS=$<TARGET_FILE:jk_nsjail_harness>"
           "JK_LAUNCH_BIN=$<TARGET_FILE:jailkeeper-launch>"
           "JK_ESCAPE_PROBE_SRC=${PROJECT_SOURCE_DIR}/tests/support/escape_probe.c")
set_tests_properties(integration.escape PROPERTIES LABELS privileged)
