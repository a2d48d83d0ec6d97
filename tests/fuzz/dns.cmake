jk_fuzz(dns_fuzz ${CMAKE_CURRENT_LIST_DIR}/dns_fuzz.cpp jk_launcher_net)
