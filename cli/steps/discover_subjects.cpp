#include <algorithm>

#include "cli/app_state.h"

namespace modgate::cli {
namespace {

eval::SelinuxView selinuxView(AppState& state) {
  eval::SelinuxView view;
  if (state.policy && state.host && state.labeler) {
    view.host = &*state.host;
    view.policy = &*state.policy;
    view.labeler = &*state.labeler;
  }
  return view;
}

}  // namespace

StepOutcome discoverSubjects(AppState& state) {
  auto subjects = gotool::collectSubjects(state.scan.root, state.rules.rules, *state.accounts);
  if (!subjects) return fail(state, subjects.error());
  const auto& only = state.scan.subjects;
  if (!only.empty()) {
    subjects->erase(std::remove_if(subjects->begin(), subjects->end(),
                                   [&](const gotool::SubjectFacts& facts) {
                                     return std::find(only.begin(), only.end(), facts.id) == only.end() &&
                                            std::find(only.begin(), only.end(), facts.rule_subject) == only.end();
                                   }),
                    subjects->end());
  }
  eval::resolveDomains(selinuxView(state), *state.accounts, *subjects);
  state.report.subjects = std::move(*subjects);
  std::vector<std::string> homes;
  for (const auto& account : state.accounts->all()) homes.push_back(account.home);
  state.report.go_installs = gotool::findGoInstalls(state.scan.root, homes);
  eval::labelInstalls(selinuxView(state), state.report.go_installs);
  for (auto& subject : state.report.subjects) {
    if (!subject.go) continue;
    for (const auto& install : state.report.go_installs) {
      if (install.resolved != subject.go->resolved) continue;
      subject.go->selinux_type = install.selinux_type;
      subject.go->tool_selinux_type = install.tool_selinux_type;
    }
  }
  return StepOutcome::kContinue;
}

StepOutcome evaluateRules(AppState& state) {
  auto& report = state.report;
  eval::HostView host{state.scan.root, &*state.accounts};
  report.results = eval::evaluateRules(state.rules.rules, report.subjects, report.mac, selinuxView(state), host,
                                       ruleset::todayUtc());
  return StepOutcome::kContinue;
}

}  // namespace modgate::cli
