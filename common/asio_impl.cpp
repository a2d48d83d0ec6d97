// The one translation unit that compiles Asio, Asio SSL and Beast (separate compilation, see
// common/CMakeLists.txt). Everything else includes only their headers, so a rebuild of any
// module does not recompile the networking stack.
#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>
#include <boost/beast/src.hpp>
