jk_test(certs_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/certs_fixture.cpp
        ${CMAKE_CURRENT_LIST_DIR}/issuer_test.cpp ${CMAKE_CURRENT_LIST_DIR}/renewal_test.cpp
        ${CMAKE_CURRENT_LIST_DIR}/ca_bundle_test.cpp ${CMAKE_CURRENT_LIST_DIR}/objects_test.cpp
        ${CMAKE_CURRENT_LIST_DIR}/certs_options_test.cpp
        LIBS jk_certs jk_cli OpenSSL::Crypto)
