#include "scanner/core/error.h"

namespace modgate {

const char* errorCodeName(ErrorCode code) noexcept {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return "invalid-argument";
    case ErrorCode::kUnknownName:
      return "unknown-name";
    case ErrorCode::kInvalidPolicy:
      return "invalid-policy";
    case ErrorCode::kNotFound:
      return "not-found";
    case ErrorCode::kUnreadable:
      return "unreadable";
    case ErrorCode::kInternal:
      return "internal";
  }
  return "internal";
}

bool isInputError(ErrorCode code) noexcept {
  return code == ErrorCode::kInvalidArgument || code == ErrorCode::kUnknownName || code == ErrorCode::kInvalidPolicy;
}

}  // namespace modgate
