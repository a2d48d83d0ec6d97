# The canonical request target against reference normalisers of common upstreams (issue 13), the
# proxy's request framing checks, and the DNS replies its own resolver reads.
jk_fuzz(request_path_fuzz ${CMAKE_CURRENT_LIST_DIR}/request_path_fuzz.cpp jk_launchspec)
jk_fuzz(request_framing_fuzz ${CMAKE_CURRENT_LIST_DIR}/request_framing_fuzz.cpp
        jk_launcher_proxy_http)
jk_fuzz(dns_reply_fuzz ${CMAKE_CURRENT_LIST_DIR}/dns_reply_fuzz.cpp jk_launcher_proxy_http)
