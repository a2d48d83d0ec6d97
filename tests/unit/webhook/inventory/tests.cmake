jk_test(inventory_node_list_test SOURCES node_list_test.cpp LIBS jk_inventory)
jk_test(nodes_inventory_test SOURCES inventory_file_test.cpp
        node_store_test.cpp LIBS jk_inventory)
jk_test(nodes_live_test SOURCES live_namespace_source_test.cpp
        ../kube/fake_apiserver_process.cpp
        ${PROJECT_SOURCE_DIR}/tests/support/temp_certs.cpp
        LIBS jk_inventory jk_kube_client OpenSSL::Crypto nlohmann_json::nlohmann_json)
