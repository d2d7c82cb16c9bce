#include "tests/support/example_root.h"

#include <filesystem>

namespace modgate::test {

ExampleRoot::ExampleRoot(const std::string& name) : name_(name) {
  std::filesystem::copy(kSourceDir + "/examples/" + name + "/root", root_.path(),
                        std::filesystem::copy_options::recursive | std::filesystem::copy_options::copy_symlinks);
  root_.installSelinuxPolicy();
}

}  // namespace modgate::test
