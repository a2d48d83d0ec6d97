# The proxy through jk_proxy_harness (tests/unit/launcher/proxy/tests.cmake builds it).
jk_py_test(proxy test_proxy ${CMAKE_CURRENT_LIST_DIR} 300
           "JK_PROXY_HARNESS=$<TARGET_FILE:jk_proxy_harness>")
# Issue 13's proxy-side escape classes as the agent in every jail of the real jailkeeper-launch
# (paths, smuggling, Host/ports, internal upstreams, name resolution, trust variables).
jk_py_test(proxy_escape test_proxy_escape ${CMAKE_CURRENT_LIST_DIR} 900
           "JK_LAUNCH_BIN=$<TARGET_FILE:jailkeeper-launch>")
# Package managers (npm, pip) through every jail against a local HTTPS registry stand-in: the
# trust variables the launcher sets win over the user's own CA settings (issue 13, item 11).
jk_py_test(package_managers test_package_managers ${CMAKE_CURRENT_LIST_DIR} 900
           "JK_LAUNCH_BIN=$<TARGET_FILE:jailkeeper-launch>")
