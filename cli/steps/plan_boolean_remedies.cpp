#include <iostream>

#include "cli/app_state.h"
#include "policygen/selinux/boolean_remedy.h"

namespace modgate::cli {
namespace {

/// policy.xml's descriptions, loaded once when a remedy needs them.
const selinux::BooleanDocs* booleanDocs(AppState& state) {
  if (state.boolean_docs) return &*state.boolean_docs;
  if (!state.host || state.host->policy_doc.empty()) return nullptr;
  auto docs = selinux::BooleanDocs::load(state.host->policy_doc);
  if (!docs) {
    // Descriptions are a courtesy; the remedy stands without them.
    std::cerr << "modgate: warning: " << docs.error().message << "\n";
    return nullptr;
  }
  state.boolean_docs.emplace(std::move(*docs));
  return &*state.boolean_docs;
}

}  // namespace

StepOutcome planBooleanRemedies(AppState& state) {
  const auto& result = *state.result;
  if (result.booleans.assignments.empty()) return StepOutcome::kContinue;
  state.remedies = policygen::booleanRemedies(result.booleans, booleanDocs(state));
  return StepOutcome::kContinue;
}

StepOutcome planRemedies(AppState& state) {
  for (auto& result : state.report.results) {
    if (result.selinux_booleans.empty() || result.status == eval::Status::kPass) continue;
    selinux::BooleanSearch search;
    search.assignments = result.selinux_booleans;
    result.remedies = policygen::booleanRemedies(search, booleanDocs(state));
  }
  return StepOutcome::kContinue;
}

}  // namespace modgate::cli
