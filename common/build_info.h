#pragma once
// What a binary was built from: the project version (CMake's project()) and the source revision
// (the git commit, "-dirty" when the tree had uncommitted changes, or the Dockerfile's REVISION
// build argument; cmake/Revision.cmake). Both binaries print them in `version`, and the image
// labels carry the same values (scripts/build-image.sh).
#include <string_view>

namespace jk::build_info {

std::string_view version();
std::string_view revision();

}  // namespace jk::build_info
