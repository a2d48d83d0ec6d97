# Shared warning flags as an INTERFACE target; every project target links it.
# (-Wnull-dereference is left out: GCC 12 reports false positives inside nlohmann_json at -O2.)
add_library(jk_warnings INTERFACE)
target_compile_options(jk_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
  -Wunused -Woverloaded-virtual -Wconversion -Wsign-conversion
  -Wdouble-promotion -Wformat=2 -Wimplicit-fallthrough)
if(JK_WERROR)
  target_compile_options(jk_warnings INTERFACE -Werror)
endif()
