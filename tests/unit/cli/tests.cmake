jk_test(cli_type_confusion_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/type_confusion_test.cpp
        ${CMAKE_CURRENT_LIST_DIR}/../../support/type_confusion.cpp LIBS jk_cli)
