#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace modgate::ruleset {

/// One problem in a rule file, with where it is and what it concerns.
struct Diagnostic final {
  enum class Level { kError, kWarning };
  Level level = Level::kError;
  std::string code;  ///< stable: MG001 syntax ... (docs/RULES.md, "Diagnostics")
  std::string file;
  int line = 0;  ///< 1-based; 0 when the whole file is concerned
  int column = 0;
  std::string rule_id;  ///< the rule, subject, proxy... id it concerns, if any
  std::string field;    ///< e.g. "rule.severity"
  std::string message;
};

/// "file:line:col: error[MG003]: rule GO-X-001: field 'severity': message"
std::string formatDiagnostic(const Diagnostic& diagnostic);
nlohmann::json diagnosticJson(const Diagnostic& diagnostic);
bool hasErrors(const std::vector<Diagnostic>& diagnostics);

}  // namespace modgate::ruleset
