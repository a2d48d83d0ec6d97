jk_test(review_test SOURCES admission_review_test.cpp pod_facts_test.cpp container_shapes_test.cpp
        pod_decoder_test.cpp json_arena_test.cpp review_response_test.cpp
        LIBS jk_review nlohmann_json::nlohmann_json)
