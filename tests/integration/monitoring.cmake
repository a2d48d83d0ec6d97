# The chart's PrometheusRule and Grafana dashboard: helm, promtool, and the real binary's metrics.
jk_py_test(chart_monitoring test_monitoring ${PROJECT_SOURCE_DIR}/tests/chart 300
           "JK_WEBHOOK_BIN=$<TARGET_FILE:jailkeeper-webhook>")
