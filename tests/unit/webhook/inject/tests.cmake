jk_test(inject_test SOURCES json_pointer_test.cpp golden_test.cpp
        LIBS jk_inject jk_review jk_config jk_inventory nlohmann_json::nlohmann_json)
