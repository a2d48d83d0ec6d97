jk_test(handler_test SOURCES review_handler_test.cpp LIBS jk_handler nlohmann_json::nlohmann_json)
jk_test(handler_namespace_test SOURCES namespace_gate_test.cpp
        LIBS jk_handler nlohmann_json::nlohmann_json)
jk_test(handler_type_confusion_test SOURCES type_confusion_test.cpp
        ${PROJECT_SOURCE_DIR}/tests/support/type_confusion.cpp
        LIBS jk_handler jk_inventory nlohmann_json::nlohmann_json)
