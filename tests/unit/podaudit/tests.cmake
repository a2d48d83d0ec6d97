jk_test(podaudit_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/verdict_table_test.cpp
        ${CMAKE_CURRENT_LIST_DIR}/pod_event_test.cpp ${CMAKE_CURRENT_LIST_DIR}/pod_audit_test.cpp
        ${CMAKE_CURRENT_LIST_DIR}/../audit/audit_fixture.cpp
        LIBS jk_podaudit jk_audit jk_nodes nlohmann_json::nlohmann_json)
