#include <iostream>

#include "cli/app_state.h"

namespace modgate::cli {

StepOutcome loadRuleFiles(AppState& state) {
  ruleset::Date today = ruleset::todayUtc();
  if (state.scan.rules.empty()) {
    state.rules = ruleset::loadRuleSources({ruleset::embeddedDefaultRules()}, today);
  } else {
    state.rules = ruleset::loadRuleFiles(state.scan.rules, today);
  }
  if (state.command == "rules-validate") return StepOutcome::kContinue;
  for (const auto& diagnostic : state.rules.diagnostics) std::cerr << ruleset::formatDiagnostic(diagnostic) << "\n";
  if (!state.rules.ok()) {
    std::cerr << "modgate: the rule files have errors; nothing was scanned\n";
    state.exit_status = kExitUsage;
    return StepOutcome::kStop;
  }
  return StepOutcome::kContinue;
}

StepOutcome printDiagnostics(AppState& state) {
  const auto& diagnostics = state.rules.diagnostics;
  std::size_t errors = 0;
  for (const auto& diagnostic : diagnostics) errors += diagnostic.level == ruleset::Diagnostic::Level::kError;
  if (state.validate_format == "json") {
    nlohmann::json out = {
        {"schema", "modgate.diagnostics/1"}, {"ok", errors == 0}, {"diagnostics", nlohmann::json::array()}};
    for (const auto& diagnostic : diagnostics) out["diagnostics"].push_back(ruleset::diagnosticJson(diagnostic));
    std::cout << out.dump(2) << "\n";
  } else {
    for (const auto& diagnostic : diagnostics) std::cout << ruleset::formatDiagnostic(diagnostic) << "\n";
    std::cout << errors << " error(s), " << diagnostics.size() - errors << " warning(s) in " << state.scan.rules.size()
              << " file(s)\n";
  }
  state.exit_status = errors ? kExitUsage : kExitPass;
  return StepOutcome::kContinue;
}

}  // namespace modgate::cli
