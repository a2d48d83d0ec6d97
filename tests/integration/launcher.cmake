# jailkeeper-launch end to end: every jail's contract (jails doctor reports unavailable are
# skipped), landjail specifics (skip below Landlock ABI 4), doctor, static link, and real clients
# (curl, git, Python, Node) through each jail and the intercepting proxy.
jk_py_test(launcher_landjail test_launcher_landjail ${CMAKE_CURRENT_LIST_DIR} 300
           "JK_LAUNCH_BIN=$<TARGET_FILE:jailkeeper-launch>" "JK_SANITIZE=${JK_SANITIZE}")
jk_py_test(launcher_jails test_launcher_jails ${CMAKE_CURRENT_LIST_DIR} 600
           "JK_LAUNCH_BIN=$<TARGET_FILE:jailkeeper-launch>")
jk_py_test(launcher_profiles test_launcher_profiles ${CMAKE_CURRENT_LIST_DIR} 300
           "JK_LAUNCH_BIN=$<TARGET_FILE:jailkeeper-launch>")
jk_py_test(launcher_clients test_launcher_clients ${CMAKE_CURRENT_LIST_DIR} 600
           "JK_LAUNCH_BIN=$<TARGET_FILE:jailkeeper-launch>")
