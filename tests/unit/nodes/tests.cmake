jk_test(nodes_inventory_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/inventory_file_test.cpp
        ${CMAKE_CURRENT_LIST_DIR}/node_store_test.cpp LIBS jk_nodes)
