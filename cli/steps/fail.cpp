#include "cli/app_state.h"

namespace modgate::cli {

StepOutcome fail(AppState& state, Error err) {
  state.exit_status = isInputError(err.code) ? kExitUsage : kExitIncomplete;
  state.error = std::move(err);
  return StepOutcome::kStop;
}

}  // namespace modgate::cli
