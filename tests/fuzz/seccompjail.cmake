jk_fuzz(seccompjail_fuzz ${CMAKE_CURRENT_LIST_DIR}/seccompjail_fuzz.cpp jk_launcher_seccompjail)
