jk_fuzz(audit_fuzz ${CMAKE_CURRENT_LIST_DIR}/audit_fuzz.cpp jk_audit)
