jk_py_test(audit_cli test_audit_cli ${CMAKE_CURRENT_LIST_DIR} 300
           "JK_WEBHOOK_BIN=$<TARGET_FILE:jailkeeper-webhook>")
jk_py_test(audit_operators test_audit_operators ${CMAKE_CURRENT_LIST_DIR} 300
           "JK_WEBHOOK_BIN=$<TARGET_FILE:jailkeeper-webhook>")
jk_py_test(serve_pod_audit test_serve_pod_audit ${CMAKE_CURRENT_LIST_DIR} 300
           "JK_WEBHOOK_BIN=$<TARGET_FILE:jailkeeper-webhook>")
jk_py_test(kubectl_plugin test_kubectl_plugin ${CMAKE_CURRENT_LIST_DIR} 300
           "JK_WEBHOOK_BIN=$<TARGET_FILE:jailkeeper-webhook>")
