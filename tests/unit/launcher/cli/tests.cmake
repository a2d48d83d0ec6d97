# launcher/cli doctor output (the rest of the CLI tests are in launcher_test).
jk_test(launcher_doctor_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/doctor_test.cpp
        LIBS jk_launcher_cli nlohmann_json::nlohmann_json)
