#include "cli/app_state.h"

namespace modgate::cli {

StepOutcome loadSelinuxPolicy(AppState& state) {
  auto policy = selinux::loadPolicy(*state.host);
  if (!policy) return fail(state, policy.error());
  state.policy.emplace(std::move(*policy));
  return StepOutcome::kContinue;
}

}  // namespace modgate::cli
