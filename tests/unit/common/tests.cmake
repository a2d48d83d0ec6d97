jk_test(common_test SOURCES result_test.cpp strings_test.cpp metrics_test.cpp base64_test.cpp
        json_writer_test.cpp buffer_pool_test.cpp sorted_pairs_test.cpp LIBS jk_common nlohmann_json::nlohmann_json)
