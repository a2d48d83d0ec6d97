jk_test(launcher_cli_test SOURCES flags_test.cpp request_url_test.cpp explain_test.cpp
        install_test.cpp cli_test.cpp LIBS jk_launcher_cli)
# launcher/cli doctor output (the rest of the CLI tests are in launcher_test).
jk_test(launcher_doctor_test SOURCES doctor_test.cpp
        LIBS jk_launcher_cli nlohmann_json::nlohmann_json)
