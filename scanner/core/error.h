#pragma once

#include <string>
#include <utility>

#include <tl/expected.hpp>

namespace modgate {

/// What kind of failure an Error is; decides the exit status at the CLI edge.
enum class ErrorCode {
  kInvalidArgument,  ///< the user asked something malformed (exit 2)
  kUnknownName,      ///< a type, class, boolean or context the policy lacks (exit 2)
  kInvalidPolicy,    ///< a policy file that is not a readable kernel policy (exit 2)
  kNotFound,         ///< something that should be under the root is not there (exit 3)
  kUnreadable,       ///< it is there but cannot be read (exit 3)
  kInternal,         ///< a library call failed unexpectedly (exit 3)
};

/// A failure a caller can act on: a code, a one-line message naming the problem,
/// and the errno or C return code where one caused it.
struct Error final {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;
  int system_error = 0;  ///< errno, or a C library's return code; 0 if none
};

template <typename T>
using Expected = tl::expected<T, Error>;

inline tl::unexpected<Error> makeError(ErrorCode code, std::string message, int system_error = 0) {
  return tl::unexpected<Error>(Error{code, std::move(message), system_error});
}

/// Short name of an error code, for logs and JSON.
const char* errorCodeName(ErrorCode code) noexcept;

/// True when the error means "the input was wrong" (exit 2) rather than
/// "the host could not be evaluated" (exit 3).
bool isInputError(ErrorCode code) noexcept;

}  // namespace modgate
