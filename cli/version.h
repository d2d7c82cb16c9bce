#pragma once

namespace modgate::cli {
/// modgate's version, from the CMake project.
inline constexpr const char* kVersion = MODGATE_VERSION;
}  // namespace modgate::cli
