#include "scanner/ruleset/diagnostic.h"

#include <algorithm>

namespace modgate::ruleset {

std::string formatDiagnostic(const Diagnostic& diagnostic) {
  std::string out = diagnostic.file;
  if (diagnostic.line > 0) out += ":" + std::to_string(diagnostic.line) + ":" + std::to_string(diagnostic.column);
  out += diagnostic.level == Diagnostic::Level::kError ? ": error[" : ": warning[";
  out += diagnostic.code + "]: ";
  if (!diagnostic.rule_id.empty()) out += diagnostic.rule_id + ": ";
  if (!diagnostic.field.empty()) out += "'" + diagnostic.field + "': ";
  out += diagnostic.message;
  return out;
}

nlohmann::json diagnosticJson(const Diagnostic& diagnostic) {
  return {{"level", diagnostic.level == Diagnostic::Level::kError ? "error" : "warning"},
          {"code", diagnostic.code},
          {"file", diagnostic.file},
          {"line", diagnostic.line},
          {"column", diagnostic.column},
          {"id", diagnostic.rule_id},
          {"field", diagnostic.field},
          {"message", diagnostic.message}};
}

bool hasErrors(const std::vector<Diagnostic>& diagnostics) {
  return std::any_of(diagnostics.begin(), diagnostics.end(),
                     [](const Diagnostic& d) { return d.level == Diagnostic::Level::kError; });
}

}  // namespace modgate::ruleset
