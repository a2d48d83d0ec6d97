# launcher/audit: the JSON line and the sink rules.
jk_test(launcher_audit_test
        SOURCES ${CMAKE_CURRENT_LIST_DIR}/audit_record_test.cpp
                ${CMAKE_CURRENT_LIST_DIR}/audit_log_test.cpp
        LIBS jk_launcher_audit nlohmann_json::nlohmann_json)
