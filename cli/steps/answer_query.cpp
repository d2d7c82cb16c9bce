#include "cli/app_state.h"

namespace modgate::cli {

StepOutcome answerQuery(AppState& state) {
  const auto& options = state.query;
  selinux::QueryRequest request;
  request.domain = options.domain;
  if (!options.context.empty()) request.context = options.context;
  if (!options.connect.empty()) {
    request.kind = selinux::QueryRequest::Kind::kConnect;
    request.target = options.connect;
  } else if (!options.write.empty()) {
    request.kind = selinux::QueryRequest::Kind::kWrite;
    request.target = options.write;
  } else if (!options.read.empty()) {
    request.kind = selinux::QueryRequest::Kind::kRead;
    request.target = options.read;
  } else {
    request.kind = selinux::QueryRequest::Kind::kExec;
    request.target = options.exec;
  }
  auto result = selinux::runQuery(*state.policy, *state.labeler, request);
  if (!result) return fail(state, result.error());
  state.exit_status = result->allowed ? kExitPass : kExitFail;
  state.result = std::move(*result);
  return StepOutcome::kContinue;
}

}  // namespace modgate::cli
