# Issue 13's classes of escape (sockets, inbound, confused deputy, descendants, resources) tried
# through the real jailkeeper-launch in every jail doctor reports available. Privileged.
jk_py_test(jail_classes test_jail_classes ${CMAKE_CURRENT_LIST_DIR} 600
           "JK_LAUNCH_BIN=$<TARGET_FILE:jailkeeper-launch>"
           "JK_CLASS_PROBE_SRC=${PROJECT_SOURCE_DIR}/tests/support/class_probe.c"
           "JK_SANITIZE=${JK_SANITIZE}")
set_tests_properties(integration.jail_classes PROPERTIES LABELS privileged)
