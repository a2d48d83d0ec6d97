# The hardening flags (cmake/Hardening.cmake) are in the binaries that ship.
jk_py_test(binary_hardening test_binary_hardening ${CMAKE_CURRENT_LIST_DIR} 60 ${WEBHOOK_BIN}
           "JK_LAUNCH_BIN=$<TARGET_FILE:jailkeeper-launch>" "JK_BUILD_TYPE=${CMAKE_BUILD_TYPE}"
           "JK_SANITIZE=${JK_SANITIZE}")
