jk_test(nodes_inventory_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/inventory_file_test.cpp
        ${CMAKE_CURRENT_LIST_DIR}/node_store_test.cpp LIBS jk_nodes)
jk_test(nodes_live_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/live_namespace_source_test.cpp
        ${CMAKE_CURRENT_LIST_DIR}/../kube/fake_apiserver_process.cpp
        ${CMAKE_CURRENT_LIST_DIR}/../../support/temp_certs.cpp
        LIBS jk_nodes jk_kube_client OpenSSL::Crypto nlohmann_json::nlohmann_json)
