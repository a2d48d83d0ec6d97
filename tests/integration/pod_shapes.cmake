# Issue 12: pod shapes x node profiles under the real container runtime (containerd 1.6 + runc
# from Debian, started by the test in a temp dir). The webhook's `inject` patches each pod; the
# pod then runs as kubelet + containerd's CRI would run it (tests/support/cri_spec.py) with a
# static probe (tests/support/pod_probe.c) as the agent, behind the real launcher.
# Privileged (root, network namespaces). It holds the `containerd` lock so the image test, the
# other one that starts a containerd and runs runc, never overlaps it; the unit tests and the
# other integration tests (each jail in namespaces of its own) run beside it. It used to be
# RUN_SERIAL, which left one of CI's two cores idle for its three minutes.
# JK_POD_SHAPES_TABLE=FILE writes the matrix to FILE.
# Not in the sanitizer build: the matrix judges what the shipped (release) launcher and webhook
# do to real containers, and under ASan it ran 15 minutes on its own for no new
# finding; the launcher's and webhook's code paths run under ASan in the other jail tests.
if(NOT JK_SANITIZE)
  jk_py_test(pod_shapes test_pod_shapes ${CMAKE_CURRENT_LIST_DIR} 1800
             "JK_WEBHOOK_BIN=$<TARGET_FILE:jailkeeper-webhook>"
             "JK_LAUNCH_BIN=$<TARGET_FILE:jailkeeper-launch>"
             "JK_POD_PROBE_SRC=${PROJECT_SOURCE_DIR}/tests/support/pod_probe.c")
  set_tests_properties(integration.pod_shapes PROPERTIES LABELS privileged RESOURCE_LOCK containerd)
endif()
# The harness's pure parts (no root needed): the Pod -> OCI spec rules, the verdicts, the table.
jk_py_test(pod_shapes_model "test_cri_spec;test_pod_verdict;test_pod_matrix"
           ${PROJECT_SOURCE_DIR}/tests/support 60)
