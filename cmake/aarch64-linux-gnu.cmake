# Cross toolchain for arm64 (aarch64) on Debian 12 (scripts/arm64.sh; installed by
# scripts/install-deps.sh --arm64): Debian's cross compiler, the arm64 libraries from multiarch
# (/usr/lib/aarch64-linux-gnu: OpenSSL, GoogleTest, the yaml-cpp runtime), yaml-cpp's -dev files
# unpacked into JK_ARM64_PREFIX (its -dev package cannot be co-installed with the host's), and
# the host's Boost headers (header-only for us, and identical for every architecture:
# libboost1.81-dev is Multi-Arch: same). Binaries built here run under qemu-user (the emulator
# below), so ctest and gtest_discover_tests work unchanged.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)

if(NOT DEFINED JK_ARM64_PREFIX)
  set(JK_ARM64_PREFIX "$ENV{JK_ARM64_PREFIX}")
  if(NOT JK_ARM64_PREFIX)
    set(JK_ARM64_PREFIX /opt/jailkeeper/arm64)
  endif()
endif()
set(JK_ARM64_PREFIX "${JK_ARM64_PREFIX}" CACHE PATH "yaml-cpp's arm64 -dev files (install-deps.sh --arm64)")
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES JK_ARM64_PREFIX)

# Libraries and packages: only the arm64 ones (multiarch paths under /usr and the prefix);
# programs (python3, ccache...) are the host's.
set(CMAKE_FIND_ROOT_PATH "${JK_ARM64_PREFIX}" /)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE BOTH)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE BOTH)
# pkg-config (FindOpenSSL asks it first) must answer with arm64 paths, not the host's.
set(ENV{PKG_CONFIG_LIBDIR} /usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig)
set(yaml-cpp_DIR "${JK_ARM64_PREFIX}/usr/lib/aarch64-linux-gnu/cmake/yaml-cpp" CACHE PATH "")
set(Boost_DIR /usr/lib/x86_64-linux-gnu/cmake/Boost-1.81.0 CACHE PATH "")

# No RUNPATH to the prefix above in what we build: the webhook must find its libraries where
# the image (and an arm64 host) has them, /usr/lib/aarch64-linux-gnu, as qemu's loader does here.
set(CMAKE_SKIP_BUILD_RPATH ON)

find_program(JK_QEMU_AARCH64 NAMES qemu-aarch64-static qemu-aarch64)
if(JK_QEMU_AARCH64)
  set(CMAKE_CROSSCOMPILING_EMULATOR "${JK_QEMU_AARCH64}")
endif()
