#include "cli/app_state.h"

namespace modgate::cli {

StepOutcome locateSelinuxPolicy(AppState& state) {
  std::optional<std::string> policy_file;
  if (!state.query.policy.empty()) policy_file = state.query.policy;
  auto host = selinux::locatePolicy(state.query.root, policy_file);
  if (!host) return fail(state, host.error());
  state.host = std::move(*host);
  return StepOutcome::kContinue;
}

}  // namespace modgate::cli
