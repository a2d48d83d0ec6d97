jk_test(handler_namespace_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/namespace_gate_test.cpp
        LIBS jk_handler nlohmann_json::nlohmann_json)
