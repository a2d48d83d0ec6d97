# launcher/supervisor: jail choice table, instance directories, signal forwarding, the agent's
# environment.
jk_test(launcher_supervisor_test SOURCES
        ${CMAKE_CURRENT_LIST_DIR}/jail_selection_test.cpp
        ${CMAKE_CURRENT_LIST_DIR}/instance_dir_test.cpp
        ${CMAKE_CURRENT_LIST_DIR}/signal_forwarder_test.cpp
        ${CMAKE_CURRENT_LIST_DIR}/agent_environment_test.cpp
        LIBS jk_launcher_supervisor_core)
