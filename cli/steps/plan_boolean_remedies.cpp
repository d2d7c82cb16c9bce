#include <iostream>

#include "cli/app_state.h"
#include "policygen/selinux/boolean_remedy.h"

namespace modgate::cli {

StepOutcome planBooleanRemedies(AppState& state) {
  const auto& result = *state.result;
  if (result.booleans.assignments.empty()) return StepOutcome::kContinue;
  if (!state.host->policy_doc.empty()) {
    auto docs = selinux::BooleanDocs::load(state.host->policy_doc);
    if (docs) {
      state.boolean_docs.emplace(std::move(*docs));
    } else {
      // Descriptions are a courtesy; the remedy stands without them.
      std::cerr << "modgate: warning: " << docs.error().message << "\n";
    }
  }
  state.remedies = policygen::booleanRemedies(result.booleans, state.boolean_docs ? &*state.boolean_docs : nullptr);
  return StepOutcome::kContinue;
}

}  // namespace modgate::cli
