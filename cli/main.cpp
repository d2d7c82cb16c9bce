// modgate's executable: parses the command line, then runs the command's ordered
// list of steps over one AppState.
#include <exception>
#include <iostream>
#include <vector>

#include "cli/app_state.h"

int main(int argc, char** argv) {
  using namespace modgate::cli;
  AppState state;
  try {
    if (!parseCommandLine(state, argc, argv)) return state.exit_status;
    static const std::vector<Step> kQuerySteps = {locateSelinuxPolicy, loadSelinuxPolicy,   openFileLabeler,
                                                  answerQuery,         planBooleanRemedies, writeQueryReport};
    static const std::vector<Step> kScanSteps = {loadRuleFiles, collectHostFacts,    discoverSubjects, evaluateRules,
                                                 planRemedies,  compareWithBaseline, writeScanReports};
    static const std::vector<Step> kValidateSteps = {loadRuleFiles, printDiagnostics};
    static const std::vector<Step> kGenerateSteps = {loadRuleFiles, collectHostFacts, discoverSubjects, evaluateRules,
                                                     planRepairs,   proveRepairs,     writeArtefacts};
    const auto& steps = state.command == "scan"             ? kScanSteps
                        : state.command == "generate"       ? kGenerateSteps
                        : state.command == "rules-validate" ? kValidateSteps
                                                            : kQuerySteps;
    for (Step step : steps) {
      if (step(state) == StepOutcome::kStop) break;
    }
    writeError(state);
    return state.exit_status;
  } catch (const std::exception& e) {
    std::cerr << "modgate: internal error: " << e.what() << "\n";
    return kExitIncomplete;
  }
}
