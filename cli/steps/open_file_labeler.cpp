#include "cli/app_state.h"

namespace modgate::cli {

StepOutcome openFileLabeler(AppState& state) {
  const auto& host = *state.host;
  if (host.file_contexts.empty()) {
    state.labeler.emplace(selinux::FileLabeler::attributesOnly(host.root));
    return StepOutcome::kContinue;
  }
  auto labeler = selinux::FileLabeler::open(host.root, host.file_contexts);
  if (!labeler) return fail(state, labeler.error());
  state.labeler.emplace(std::move(*labeler));
  return StepOutcome::kContinue;
}

}  // namespace modgate::cli
