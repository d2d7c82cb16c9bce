#pragma once

#include <string>

#include "tests/support/fixture_root.h"

namespace modgate::test {

/// Source tree paths (configured by CMake).
inline const std::string kSourceDir = MODGATE_SOURCE_DIR;

/// A temporary image root for examples/NAME: its root/ overlay plus this machine's
/// installed SELinux policy, as examples/run.sh builds it.
class ExampleRoot final {
 public:
  explicit ExampleRoot(const std::string& name);
  [[nodiscard]] const std::string& path() const { return root_.path(); }
  [[nodiscard]] std::string rules() const { return kSourceDir + "/examples/" + name_ + "/rules.toml"; }
  [[nodiscard]] const TempRoot& root() const { return root_; }

 private:
  std::string name_;
  TempRoot root_;
};

}  // namespace modgate::test
