jk_test(launchspec_test SOURCES launch_spec_test.cpp rules_test.cpp request_path_test.cpp
        address_prefix_test.cpp LIBS jk_launchspec)
