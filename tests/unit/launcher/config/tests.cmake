jk_test(launcher_config_test SOURCES value_parsers_test.cpp env_layer_test.cpp yaml_layer_test.cpp
        merge_test.cpp load_test.cpp LIBS jk_launcher_cli)
