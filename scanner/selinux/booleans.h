#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "scanner/core/error.h"
#include "scanner/selinux/access.h"
#include "scanner/selinux/policy.h"

namespace modgate::selinux {

/// Boolean values that, set together, make every need of a question allowed by
/// type enforcement. Only the booleans that change are listed.
struct BooleanAssignment final {
  std::map<std::string, bool> values;
  /// The conditional expressions that grant the needs under this assignment,
  /// in infix form, e.g. "httpd_enable_cgi && httpd_can_network_connect".
  std::vector<std::string> conditions;
};

/// Result of a boolean search.
struct BooleanSearch final {
  std::vector<BooleanAssignment> assignments;  ///< minimal: none contains another
  bool complete = true;                        ///< false when the search was cut short (too many booleans)
};

/// Finds every minimal assignment of booleans under which all needs are granted
/// by type enforcement, read from the policy's conditional rules (not by flipping
/// one boolean at a time, so conjunctions across rules and classes are found).
/// Needs already granted unconditionally are kept; a need no conditional rule
/// covers means no assignment exists. Booleans cannot lift constraint denials;
/// callers decide whether to search at all.
BooleanSearch findBooleanAssignments(const Policy& policy, const std::vector<AccessNeed>& needs);

/// The value of conditional `cond` with the policy's current booleans, except
/// those in overrides.
bool conditionValue(const Policy& policy, std::uint32_t cond, const std::map<std::string, bool>& overrides);

/// Renders a conditional expression in infix form.
std::string conditionText(const Policy& policy, std::uint32_t cond);

/// Descriptions of booleans and tunables, read from refpolicy's policy.xml.
class BooleanDocs final {
 public:
  /// Reads and parses policy.xml (a host path).
  static Expected<BooleanDocs> load(const std::string& path);
  /// Parses policy.xml's text; origin names it in errors.
  static Expected<BooleanDocs> parse(std::string_view xml, const std::string& origin);
  [[nodiscard]] std::optional<std::string> describe(const std::string& name) const;
  [[nodiscard]] std::size_t size() const { return descriptions_.size(); }

 private:
  std::map<std::string, std::string> descriptions_;
};

}  // namespace modgate::selinux
