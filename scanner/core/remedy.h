#pragma once

#include <map>
#include <string>
#include <vector>

namespace modgate {

/// A change that would turn a failed result into a pass, as it appears in reports.
/// The scanner defines the shape; policygen fills it.
struct Remedy final {
  std::string kind;                                 ///< "selinux-boolean", "selinux-module", ...
  std::map<std::string, bool> booleans;             ///< for selinux-boolean: the values to set
  std::map<std::string, std::string> descriptions;  ///< boolean -> policy.xml description
  std::vector<std::string> conditions;              ///< the policy conditions it satisfies
  std::string summary;                              ///< one sentence for people
  std::vector<std::string> commands;                ///< what an admin runs (argument-safe)
};

}  // namespace modgate
