jk_test(kube_test SOURCES kubeconfig_test.cpp in_cluster_test.cpp resolve_test.cpp
        server_url_test.cpp exec_credential_test.cpp kube_fixture.cpp
        ${PROJECT_SOURCE_DIR}/tests/support/temp_certs.cpp LIBS jk_kube OpenSSL::Crypto
        nlohmann_json::nlohmann_json)
jk_test(kube_watch_test SOURCES watch_test.cpp paged_list_test.cpp line_splitter_test.cpp
        http_client_test.cpp
        client_parts_test.cpp exec_plugin_test.cpp fake_apiserver_process.cpp
        ${PROJECT_SOURCE_DIR}/tests/support/temp_certs.cpp LIBS jk_inventory jk_kube_client
        OpenSSL::Crypto nlohmann_json::nlohmann_json)
jk_test(kube_watch_event_test SOURCES watch_event_test.cpp
        ${PROJECT_SOURCE_DIR}/tests/support/type_confusion.cpp LIBS jk_inventory jk_kube_client)
