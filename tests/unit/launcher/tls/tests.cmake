jk_test(launcher_tls_test
        SOURCES leaf_name_test.cpp
                authority_test.cpp
                server_context_test.cpp
                upstream_test.cpp
                trust_files_test.cpp
                handshake.cpp
                x509_check.cpp
        LIBS jk_launcher_tls)
