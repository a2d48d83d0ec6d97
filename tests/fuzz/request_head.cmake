# The proxy's request-head parsing (launcher/proxy/request_head.h, destination.h).
jk_fuzz(request_head_fuzz request_head_fuzz.cpp jk_launcher_proxy_http)
