jk_test(podaudit_test SOURCES verdict_table_test.cpp
        pod_event_test.cpp pod_audit_test.cpp
        ../audit/audit_fixture.cpp
        LIBS jk_podaudit jk_audit jk_inventory nlohmann_json::nlohmann_json)
