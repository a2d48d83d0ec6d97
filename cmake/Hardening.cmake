# Hardening for every build: the launcher runs inside every agent pod and the webhook sits in
# the API server's request path. Checked by tests/integration/test_binary_hardening.py.
#   -fstack-protector-strong   canaries in functions with arrays or address-taken locals
#   -fstack-clash-protection   stack probes, so a large allocation cannot jump the guard page
#   -fcf-protection            x86 CET: indirect branch and return targets (no-op elsewhere)
#   _FORTIFY_SOURCE=3          checked memcpy/read/... with sizes known at run time (needs -O)
#   _GLIBCXX_ASSERTIONS        bounds-checked operator[], front(), back() ... in the test build
#   -z relro -z now            the GOT read-only after start-up (the webhook is dynamic)
add_compile_options(-fstack-protector-strong -fstack-clash-protection)
if(CMAKE_SYSTEM_PROCESSOR MATCHES "x86_64|AMD64")
  add_compile_options(-fcf-protection)
endif()
# Only where the build optimises (glibc warns, and -Werror fails, without -O); -U first so a
# compiler that predefines another level (Ubuntu's) does not warn about a redefinition.
if(CMAKE_BUILD_TYPE MATCHES "^(Release|RelWithDebInfo|MinSizeRel)$" AND NOT JK_FUZZ)
  add_compile_options(-U_FORTIFY_SOURCE -D_FORTIFY_SOURCE=3)
endif()
if(JK_SANITIZE)
  add_compile_definitions(_GLIBCXX_ASSERTIONS)
endif()
add_link_options(LINKER:-z,relro LINKER:-z,now)
