# launcher/proxy: tables for the pure parts; jk_proxy_harness for tests/integration/test_proxy*.py.
jk_test(launcher_proxy_test
        SOURCES first_bytes_test.cpp
                destination_test.cpp
                hop_by_hop_test.cpp
                deny_body_test.cpp
                request_head_test.cpp
                socket_addresses_test.cpp
                request_framing_test.cpp
                upstream_address_test.cpp
                resolver_config_test.cpp
                dns_message_test.cpp
        LIBS jk_launcher_proxy)
jk_test(launcher_tls_stream_test SOURCES tls_stream_test.cpp
        LIBS jk_launcher_proxy)
add_executable(jk_proxy_harness ${CMAKE_CURRENT_LIST_DIR}/proxy_harness.cpp)
target_link_libraries(jk_proxy_harness PRIVATE jk_launcher_proxy jk_warnings)
