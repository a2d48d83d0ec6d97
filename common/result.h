#pragma once
// Result<T>: a value or an Error that says why (shaped like std::expected, which GCC 12 lacks
// in C++20). Errors are values; exceptions never cross a module boundary.
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace jk {

struct Error {
  std::string message;
  // Prefixes context: Error{"bad port"}.wrap("listen") -> "listen: bad port".
  [[nodiscard]] Error wrap(std::string_view context) const {
    return Error{std::string(context) + ": " + message};
  }
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
  Result(Error error) : v_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  [[nodiscard]] bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  [[nodiscard]] const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

// Result<void>: success or an Error.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : e_(std::move(error)) {}  // NOLINT(google-explicit-constructor)
  [[nodiscard]] bool ok() const { return !e_.has_value(); }
  explicit operator bool() const { return ok(); }
  [[nodiscard]] const Error& error() const { return *e_; }

 private:
  std::optional<Error> e_;
};

using Status = Result<void>;

inline Error make_error(std::string message) { return Error{std::move(message)}; }

}  // namespace jk

// JK_TRY(var, expr): evaluates expr (a Result); on error returns the error from the caller.
#define JK_CONCAT_INNER(a, b) a##b
#define JK_CONCAT(a, b) JK_CONCAT_INNER(a, b)
#define JK_TRY(var, expr) JK_TRY_IMPL(var, expr, JK_CONCAT(jk_try_, __LINE__))
#define JK_TRY_IMPL(var, expr, tmp)  \
  auto tmp = (expr);                 \
  if (!tmp.ok()) return tmp.error(); \
  var = std::move(tmp).value()
#define JK_TRY_STATUS(expr)                          \
  do {                                               \
    auto jk_status_ = (expr);                        \
    if (!jk_status_.ok()) return jk_status_.error(); \
  } while (0)
