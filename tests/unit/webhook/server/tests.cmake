jk_test(server_test SOURCES server_test.cpp tls_test.cpp shutdown_test.cpp cert_reloader_test.cpp
        tls_context_test.cpp routes_test.cpp connection_tracker_test.cpp robustness_test.cpp
        request_head_test.cpp response_head_test.cpp request_budget_test.cpp server_fixture.cpp
        test_client.cpp ${PROJECT_SOURCE_DIR}/tests/support/temp_certs.cpp LIBS jk_server
        nlohmann_json::nlohmann_json)
# ALWAYS: it measures glibc's allocator (mallinfo2), which the sanitizer build replaces, so it
# runs in the release build even when the other unit tests run only under the sanitizers.
jk_test(server_json_cost_test ALWAYS SOURCES json_cost_test.cpp LIBS jk_server
        nlohmann_json::nlohmann_json)
