#include "launcher/sys/errno_error.h"

#include <cstring>
#include <string>

namespace jk::launcher::sys {

Error errno_error(std::string_view what) { return errno_error(what, errno); }

Error errno_error(std::string_view what, int error) {
  return make_error(std::string(what) + ": " + std::strerror(error));
}

}  // namespace jk::launcher::sys
