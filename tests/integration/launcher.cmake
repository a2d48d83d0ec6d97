# jailkeeper-launch end to end: landjail (skips below Landlock ABI 4), doctor, static link.
jk_py_test(launcher_landjail test_launcher_landjail ${CMAKE_CURRENT_LIST_DIR} 300
           "JK_LAUNCH_BIN=$<TARGET_FILE:jailkeeper-launch>" "JK_SANITIZE=${JK_SANITIZE}")
