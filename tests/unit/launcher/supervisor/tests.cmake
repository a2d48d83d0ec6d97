# launcher/supervisor: jail choice table, instance directories, signal forwarding, the agent's
# environment.
jk_test(launcher_supervisor_test SOURCES
        jail_selection_test.cpp
        instance_dir_test.cpp
        signal_forwarder_test.cpp
        agent_environment_test.cpp
        LIBS jk_launcher_supervisor_core)
