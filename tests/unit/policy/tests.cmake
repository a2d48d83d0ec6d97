jk_test(pod_security_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/pod_security_test.cpp LIBS jk_policy)
