jk_fuzz(tls_name_fuzz ${CMAKE_CURRENT_LIST_DIR}/tls_name_fuzz.cpp jk_launcher_tls)
