jk_test(server_test SOURCES server_test.cpp tls_test.cpp shutdown_test.cpp cert_reloader_test.cpp
        tls_context_test.cpp routes_test.cpp connection_tracker_test.cpp robustness_test.cpp
        request_head_test.cpp json_cost_test.cpp request_budget_test.cpp server_fixture.cpp
        test_client.cpp ${PROJECT_SOURCE_DIR}/tests/support/temp_certs.cpp LIBS jk_server
        nlohmann_json::nlohmann_json)
