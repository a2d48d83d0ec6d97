jk_test(certs_test SOURCES certs_fixture.cpp
        issuer_test.cpp renewal_test.cpp
        ca_bundle_test.cpp objects_test.cpp
        certs_options_test.cpp
        LIBS jk_certs jk_cli OpenSSL::Crypto)
