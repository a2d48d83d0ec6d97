jk_test(audit_test SOURCES audit_fixture.cpp
        status_record_test.cpp verdict_test.cpp
        report_test.cpp cluster_test.cpp
        golden_roundtrip_test.cpp
        LIBS jk_audit jk_inventory nlohmann_json::nlohmann_json)
