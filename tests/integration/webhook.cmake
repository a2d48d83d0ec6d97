# The webhook binary over real TLS on loopback: serving, robustness, the offline inject, the
# golden patches applied by kubectl's patch code, the live inventory against the fake API
# server; the launcher's explain; the chart under real Helm.
jk_py_test(webhook_server test_webhook_server ${HERE} 300 ${WEBHOOK_BIN})
jk_py_test(webhook_robustness test_webhook_robustness ${HERE} 300 ${WEBHOOK_BIN}
           "JK_SANITIZE=${JK_SANITIZE}")
jk_py_test(inject_cli test_inject_cli ${HERE} 300 ${WEBHOOK_BIN})
jk_py_test(golden_kubectl test_golden_kubectl ${HERE} 300 ${WEBHOOK_BIN})
jk_py_test(serve_live_inventory test_serve_live_inventory ${HERE} 300 ${WEBHOOK_BIN})
jk_py_test(fake_apiserver test_fake_apiserver ${PROJECT_SOURCE_DIR}/tests/support 60)
jk_py_test(launcher_explain test_launcher_explain ${HERE} 120
           "JK_LAUNCH_BIN=$<TARGET_FILE:jailkeeper-launch>")
jk_py_test(helm_chart test_chart ${PROJECT_SOURCE_DIR}/tests/chart 300 ${WEBHOOK_BIN})
