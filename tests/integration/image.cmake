# Issue 16: `make image`'s OCI archive (scripts/build-image.sh, run by the test on this build),
# checked against the chart and the Dockerfile, then imported into a containerd started by the
# test: the chart's webhook pod serves a review over TLS, and the init container the webhook
# injects installs the launcher that an agent container then runs (tests/integration/
# test_image.py). Privileged (root, mounts, network namespaces); the `containerd` lock keeps it
# apart from pod_shapes, the other test with a containerd of its own.
jk_py_test(image test_image ${CMAKE_CURRENT_LIST_DIR} 300
           "JK_BUILD_DIR=${PROJECT_BINARY_DIR}"
           "JK_SANITIZE=${JK_SANITIZE}"
           "JK_WEBHOOK_BIN=$<TARGET_FILE:jailkeeper-webhook>"
           "JK_LAUNCH_BIN=$<TARGET_FILE:jailkeeper-launch>")
set_tests_properties(integration.image PROPERTIES LABELS privileged RESOURCE_LOCK containerd)
