jk_fuzz(exec_credential_fuzz ${CMAKE_CURRENT_LIST_DIR}/exec_credential_fuzz.cpp jk_kube)
