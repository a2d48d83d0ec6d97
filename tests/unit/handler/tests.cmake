jk_test(handler_namespace_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/namespace_gate_test.cpp
        LIBS jk_handler nlohmann_json::nlohmann_json)
jk_test(handler_type_confusion_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/type_confusion_test.cpp
        ${CMAKE_CURRENT_LIST_DIR}/../../support/type_confusion.cpp
        LIBS jk_handler jk_nodes nlohmann_json::nlohmann_json)
