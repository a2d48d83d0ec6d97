# launcher/requestlog: the JSON line and the sink rules.
jk_test(launcher_requestlog_test
        SOURCES request_record_test.cpp
                request_log_test.cpp
        LIBS jk_launcher_requestlog nlohmann_json::nlohmann_json)
