jk_test(audit_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/audit_fixture.cpp
        ${CMAKE_CURRENT_LIST_DIR}/status_record_test.cpp ${CMAKE_CURRENT_LIST_DIR}/verdict_test.cpp
        ${CMAKE_CURRENT_LIST_DIR}/report_test.cpp ${CMAKE_CURRENT_LIST_DIR}/cluster_test.cpp
        ${CMAKE_CURRENT_LIST_DIR}/golden_roundtrip_test.cpp
        LIBS jk_audit jk_nodes nlohmann_json::nlohmann_json)
