# Debug information of the optimised build with debug info (RelWithDebInfo: `make build`,
# `make test`, the fuzz build): line tables only (-g1; clang's -gline-tables-only). That is what
# backtraces, sanitizer reports, perf and the hardening test's DWARF checks read, and it compiles
# about a third faster than full -g (measured: launcher/proxy/session.cpp 50 s -> 35 s, a typical
# test file 7.7 s -> 5.3 s), which keeps CI's cold build within its budget. For gdb with local
# variables: -DJK_FULL_DEBUG_INFO=ON, or the Debug build. (The last -g option on the command line
# wins, and these options come after CMAKE_CXX_FLAGS_RELWITHDEBINFO's -g.)
option(JK_FULL_DEBUG_INFO "Full debug information (-g) in RelWithDebInfo builds" OFF)
if(NOT JK_FULL_DEBUG_INFO)
  add_compile_options($<$<CONFIG:RelWithDebInfo>:-g1>)
endif()
