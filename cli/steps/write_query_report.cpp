#include <iostream>

#include "cli/app_state.h"
#include "scanner/report/query_report.h"

namespace modgate::cli {

StepOutcome writeQueryReport(AppState& state) {
  if (state.query.format == "json") {
    std::cout << report::queryJson(*state.result, *state.host, state.remedies).dump(2) << "\n";
  } else {
    std::cout << report::queryText(*state.result, *state.host, state.remedies);
  }
  return StepOutcome::kContinue;
}

StepOutcome writeError(AppState& state) {
  if (!state.error) return StepOutcome::kContinue;
  std::cerr << "modgate: " << state.error->message << "\n";
  if (state.command == "query" && state.query.format == "json") {
    std::cout << report::queryErrorJson(*state.error).dump(2) << "\n";
  }
  return StepOutcome::kContinue;
}

}  // namespace modgate::cli
