# launcher/proxy: tables for the pure parts; jk_proxy_harness for tests/integration/test_proxy*.py.
jk_test(launcher_proxy_test
        SOURCES ${CMAKE_CURRENT_LIST_DIR}/first_bytes_test.cpp
                ${CMAKE_CURRENT_LIST_DIR}/destination_test.cpp
                ${CMAKE_CURRENT_LIST_DIR}/hop_by_hop_test.cpp
                ${CMAKE_CURRENT_LIST_DIR}/deny_body_test.cpp
                ${CMAKE_CURRENT_LIST_DIR}/request_head_test.cpp
                ${CMAKE_CURRENT_LIST_DIR}/socket_addresses_test.cpp
                ${CMAKE_CURRENT_LIST_DIR}/request_framing_test.cpp
                ${CMAKE_CURRENT_LIST_DIR}/upstream_address_test.cpp
                ${CMAKE_CURRENT_LIST_DIR}/resolver_config_test.cpp
                ${CMAKE_CURRENT_LIST_DIR}/dns_message_test.cpp
        LIBS jk_launcher_proxy)
jk_test(launcher_tls_stream_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/tls_stream_test.cpp
        LIBS jk_launcher_proxy)
add_executable(jk_proxy_harness ${CMAKE_CURRENT_LIST_DIR}/proxy_harness.cpp)
target_link_libraries(jk_proxy_harness PRIVATE jk_launcher_proxy jk_warnings)
