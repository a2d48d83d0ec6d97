jk_test(launcher_tls_test
        SOURCES ${CMAKE_CURRENT_LIST_DIR}/leaf_name_test.cpp
                ${CMAKE_CURRENT_LIST_DIR}/authority_test.cpp
                ${CMAKE_CURRENT_LIST_DIR}/server_context_test.cpp
                ${CMAKE_CURRENT_LIST_DIR}/upstream_test.cpp
                ${CMAKE_CURRENT_LIST_DIR}/trust_files_test.cpp
                ${CMAKE_CURRENT_LIST_DIR}/handshake.cpp
                ${CMAKE_CURRENT_LIST_DIR}/x509_check.cpp
        LIBS jk_launcher_tls)
