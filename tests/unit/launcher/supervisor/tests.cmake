# launcher/supervisor: jail choice table, instance directories, signal forwarding.
jk_test(launcher_supervisor_test SOURCES
        ${CMAKE_CURRENT_LIST_DIR}/jail_selection_test.cpp
        ${CMAKE_CURRENT_LIST_DIR}/instance_dir_test.cpp
        ${CMAKE_CURRENT_LIST_DIR}/signal_forwarder_test.cpp
        LIBS jk_launcher_supervisor_core)
