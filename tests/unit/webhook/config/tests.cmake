jk_test(config_test SOURCES config_test.cpp LIBS jk_config)
