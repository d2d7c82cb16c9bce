// modgate's executable: parses the command line, then runs an ordered list of steps.
#include <exception>
#include <iostream>

#include "cli/app_state.h"

int main(int argc, char** argv) {
  using namespace modgate::cli;
  AppState state;
  try {
    if (!parseCommandLine(state, argc, argv)) return state.exit_status;
    static constexpr Step kQuerySteps[] = {locateSelinuxPolicy, loadSelinuxPolicy,   openFileLabeler,
                                           answerQuery,         planBooleanRemedies, writeQueryReport};
    for (Step step : kQuerySteps) {
      if (step(state) == StepOutcome::kStop) break;
    }
    writeError(state);
    return state.exit_status;
  } catch (const std::exception& e) {
    std::cerr << "modgate: internal error: " << e.what() << "\n";
    return kExitIncomplete;
  }
}
