# The proxy through jk_proxy_harness (tests/unit/launcher/proxy/tests.cmake builds it).
jk_py_test(proxy test_proxy ${CMAKE_CURRENT_LIST_DIR} 300
           "JK_PROXY_HARNESS=$<TARGET_FILE:jk_proxy_harness>")
