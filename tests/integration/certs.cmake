# `jailkeeper-webhook certs` against the fake API server, the fake's write support, and the
# Dockerfile's consistency with the build.
jk_py_test(certs_cli test_certs_cli ${CMAKE_CURRENT_LIST_DIR} 300
           "JK_WEBHOOK_BIN=$<TARGET_FILE:jailkeeper-webhook>")
jk_py_test(fake_apiserver_writes test_fake_apiserver_writes ${PROJECT_SOURCE_DIR}/tests/support 60)
jk_py_test(dockerfile test_dockerfile ${CMAKE_CURRENT_LIST_DIR} 60
           "JK_WEBHOOK_BIN=$<TARGET_FILE:jailkeeper-webhook>"
           "JK_LAUNCH_BIN=$<TARGET_FILE:jailkeeper-launch>")
