#include "common/build_info.h"

#include "jk_build_info.h"  // generated on every build: JK_VERSION, JK_REVISION

namespace jk::build_info {

std::string_view version() { return JK_VERSION; }

std::string_view revision() { return JK_REVISION; }

}  // namespace jk::build_info
