// Boost.JSON compiled once (header-only mode: Debian's libboost1.81-dev ships the headers, and
// this keeps the library's code in one object like common/asio_impl.cpp does for Asio/Beast).
#include <boost/json/src.hpp>
