# JK_SANITIZE=ON builds everything with AddressSanitizer + UndefinedBehaviorSanitizer.
add_library(jk_sanitizers INTERFACE)
if(JK_SANITIZE)
  target_compile_options(jk_sanitizers INTERFACE
    -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  target_link_options(jk_sanitizers INTERFACE -fsanitize=address,undefined)
endif()
