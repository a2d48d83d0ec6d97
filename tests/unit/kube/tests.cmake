jk_test(kube_watch_event_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/watch_event_test.cpp
        ${CMAKE_CURRENT_LIST_DIR}/../../support/type_confusion.cpp LIBS jk_nodes jk_kube_client)
