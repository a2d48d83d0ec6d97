jk_test(cli_test SOURCES workloads_test.cpp yaml_json_test.cpp inject_test.cpp
        inject_golden_test.cpp progress_test.cpp invocation_test.cpp LIBS jk_cli)
jk_test(cli_type_confusion_test SOURCES type_confusion_test.cpp
        ${PROJECT_SOURCE_DIR}/tests/support/type_confusion.cpp LIBS jk_cli)
