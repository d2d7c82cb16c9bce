#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>

#include <nlohmann/json.hpp>

#include "cli/app_state.h"
#include "policygen/core/render.h"
#include "scanner/eval/cache_checks.h"

namespace modgate::cli {

StepOutcome planSelinuxRepairs(AppState& state);
StepOutcome proveSelinuxRepairs(AppState& state);
Expected<nlohmann::json> writeSelinuxArtefacts(AppState& state, const std::filesystem::path& out);
Expected<std::string> verifyInStore(AppState& state, const std::filesystem::path& staged);

namespace {

namespace stdfs = std::filesystem;

bool wanted(const AppState& state, const char* target) {
  const auto& targets = state.generate.targets;
  return std::find(targets.begin(), targets.end(), target) != targets.end();
}

/// Subjects as the goenv plan would leave them.
std::vector<gotool::SubjectFacts> afterGoEnv(const AppState& state) {
  auto subjects = state.report.subjects;
  for (const auto& change : state.goenv_plan.changes) {
    for (auto& facts : subjects) {
      if (facts.id != change.subject) continue;
      facts.goenv["GOFLAGS"] = {change.goflags, change.kind == "systemd-dropin" ? "process" : "goenv:" + change.target};
    }
  }
  return subjects;
}

Expected<void> writeFile(const stdfs::path& path, const std::string& text, mode_t mode) {
  std::error_code error;
  stdfs::create_directories(path.parent_path(), error);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out || error) return makeError(ErrorCode::kUnreadable, "cannot write '" + path.string() + "'");
  stdfs::permissions(path, static_cast<stdfs::perms>(mode), error);
  return {};
}

}  // namespace

StepOutcome planRepairs(AppState& state) {
  const auto& rules = state.rules.rules;
  if (wanted(state, "acl")) {
    state.acl_plans = policygen::planAclRepairs(state.scan.root, rules, state.report.results, *state.accounts);
  }
  if (wanted(state, "goenv")) {
    state.goenv_plan = policygen::planGoEnv(state.scan.root, rules, state.report.subjects, *state.accounts);
  }
  return planSelinuxRepairs(state);
}

StepOutcome proveRepairs(AppState& state) {
  if (state.generate.no_verify) {
    state.proof.push_back("not verified (--no-verify)");
    return StepOutcome::kContinue;
  }
  if (proveSelinuxRepairs(state) == StepOutcome::kStop) return StepOutcome::kStop;
  if (!wanted(state, "acl") && !wanted(state, "goenv")) return StepOutcome::kContinue;
  const auto& rules = state.rules.rules;
  auto subjects = afterGoEnv(state);
  eval::SelinuxView view;
  if (state.policy && state.host && state.labeler) view = {&*state.host, &*state.policy, &*state.labeler};
  std::vector<std::string> unfixed;
  for (const auto& cache : rules.caches) {
    const policygen::AclPlan* plan = nullptr;
    for (const auto& candidate : state.acl_plans) {
      if (candidate.cache_id == cache.id) plan = &candidate;
    }
    std::vector<const eval::Result*> targeted;
    for (const auto& result : state.report.results) {
      if (result.cache != cache.id || result.status != eval::Status::kFail) continue;
      if (result.check == "cache-permissions" || result.mac == "dac" || result.mac == "dac+selinux") {
        targeted.push_back(&result);
      }
    }
    if (targeted.empty()) continue;
    eval::CacheAuditInputs inputs;
    inputs.root = state.scan.root;
    inputs.cache = &cache;
    inputs.accounts = &*state.accounts;
    inputs.writers = eval::subjectsNamed(cache.writers, subjects);
    inputs.readers = eval::subjectsNamed(cache.readers, subjects);
    for (const auto* writer : inputs.writers) inputs.readers.push_back(writer);
    inputs.read_labels = view.policy != nullptr || !cache.selinux_type.empty();
    inputs.change = plan ? &plan->change : nullptr;
    auto audit = eval::auditCache(inputs);
    for (const auto* before : targeted) {
      const ruleset::Rule* rule = rules.rule(before->rule);
      if (!rule) continue;
      eval::Result after;
      if (before->check == "cache-permissions") {
        after = eval::cachePermissions(*rule, cache, audit);
      } else {
        auto facts = std::find_if(subjects.begin(), subjects.end(),
                                  [&](const gotool::SubjectFacts& s) { return s.id == before->subject; });
        if (facts == subjects.end()) continue;
        after =
            eval::cacheAccess(*rule, cache, *facts, audit, before->check == "cache-writable", state.report.mac, view);
      }
      bool fixed =
          after.status == eval::Status::kPass || (after.status == eval::Status::kFail && after.mac == "selinux");
      std::string line = before->rule + " " + (before->subject.empty() ? "" : before->subject + " ") + before->object +
                         ": " + eval::statusName(before->status) + " -> " + eval::statusName(after.status);
      if (after.mac == "selinux" && after.status == eval::Status::kFail) line += " (DAC fixed; SELinux still denies)";
      state.proof.push_back(line);
      if (!fixed) unfixed.push_back(line + ": " + after.message);
    }
  }
  if (!unfixed.empty()) {
    std::string message = "the planned repairs do not fix every targeted result:";
    for (const auto& line : unfixed) message += "\n  " + line;
    return fail(state, Error{ErrorCode::kInternal, message, 0});
  }
  return StepOutcome::kContinue;
}

namespace {

/// Writes everything into a staging directory next to --out and renames it into
/// place at the end, so a failure leaves no half-written plan.
class Staging final {
 public:
  explicit Staging(stdfs::path final_path)
      : final_(std::move(final_path)), path_(final_.string() + ".modgate-partial") {
    std::error_code error;
    stdfs::remove_all(path_, error);
  }
  ~Staging() {
    std::error_code error;
    if (!committed_) stdfs::remove_all(path_, error);
  }
  Staging(const Staging&) = delete;
  Staging& operator=(const Staging&) = delete;
  [[nodiscard]] const stdfs::path& path() const { return path_; }
  Expected<void> commit() {
    std::error_code error;
    if (stdfs::exists(final_, error)) stdfs::remove(final_, error);  // empty, checked before
    stdfs::rename(path_, final_, error);
    if (error)
      return makeError(ErrorCode::kUnreadable, "cannot move the plan to " + final_.string() + ": " + error.message());
    committed_ = true;
    return {};
  }

 private:
  stdfs::path final_;
  stdfs::path path_;
  bool committed_ = false;
};

}  // namespace

StepOutcome writeArtefacts(AppState& state) {
  stdfs::path final_out(state.generate.out);
  std::error_code error;
  if (stdfs::exists(final_out, error) &&
      (!stdfs::is_directory(final_out, error) || !stdfs::is_empty(final_out, error))) {
    return fail(state, Error{ErrorCode::kInvalidArgument,
                             "--out " + final_out.string() + " is not empty; give a new or empty directory", 0});
  }
  Staging staging(final_out);
  const stdfs::path& out = staging.path();
  stdfs::create_directories(out, error);
  nlohmann::json plan = {{"schema", "modgate.plan/1"},        {"root", state.scan.root},
                         {"acl", nlohmann::json::array()},    {"goenv", nlohmann::json::array()},
                         {"manual", nlohmann::json::array()}, {"proof", state.proof}};
  std::string readme = "# modgate repair plan\n\nroot: " + state.scan.root + "\n";
  for (const auto& acl : state.acl_plans) {
    auto scripts = policygen::renderAclScripts(acl, state.scan.root);
    if (!scripts) return fail(state, scripts.error());
    stdfs::path dir = out / "acl" / acl.cache_id;
    for (const auto& [name, text] : {std::pair<const char*, const std::string&>{"apply.sh", scripts->apply},
                                     std::pair<const char*, const std::string&>{"rollback.sh", scripts->rollback}}) {
      if (auto written = writeFile(dir / name, text, 0755); !written) return fail(state, written.error());
    }
    plan["acl"].push_back({{"cache", acl.cache_id},
                           {"path", acl.path},
                           {"group", acl.gid ? nlohmann::json(*acl.gid) : nlohmann::json(nullptr)},
                           {"directories", policygen::symbolicMode(acl.directory_bits)},
                           {"files", policygen::symbolicMode(acl.file_bits)},
                           {"file_scope", acl.file_scope},
                           {"access_acl", acl.access_entries},
                           {"default_acl", acl.default_entries},
                           {"answers", acl.reasons},
                           {"scripts",
                            {(final_out / "acl" / acl.cache_id / "apply.sh").string(),
                             (final_out / "acl" / acl.cache_id / "rollback.sh").string()}}});
    stdfs::path shown = final_out / "acl" / acl.cache_id;
    readme += "\n## cache " + acl.cache_id + " (" + acl.path + ")\n\nsh " + (shown / "apply.sh").string() +
              "            # dry run\nsh " + (shown / "apply.sh").string() + " --apply\nsh " +
              (shown / "rollback.sh").string() + "\n";
  }
  if (!state.goenv_plan.changes.empty()) {
    auto scripts = policygen::renderGoEnvScripts(state.goenv_plan, state.scan.root);
    if (!scripts) return fail(state, scripts.error());
    stdfs::path dir = out / "goenv";
    if (auto written = writeFile(dir / "apply.sh", scripts->apply, 0755); !written) return fail(state, written.error());
    if (auto written = writeFile(dir / "rollback.sh", scripts->rollback, 0755); !written) {
      return fail(state, written.error());
    }
    for (std::size_t i = 0; i < state.goenv_plan.changes.size(); ++i) {
      const auto& change = state.goenv_plan.changes[i];
      std::string number = std::to_string(i + 1);
      if (auto written = writeFile(dir / "files" / number, change.content, 0644); !written) {
        return fail(state, written.error());
      }
      auto saved = change.original ? writeFile(dir / "originals" / number, *change.original, 0600)
                                   : writeFile(dir / "absent" / number, "", 0600);
      if (!saved) return fail(state, saved.error());
      plan["goenv"].push_back({{"subject", change.subject},
                               {"kind", change.kind},
                               {"target", change.target},
                               {"goflags", change.goflags},
                               {"reason", change.reason}});
    }
    readme += "\n## Go environment\n\nsh " + (final_out / "goenv" / "apply.sh").string() + " --apply\n";
  }
  for (const auto& manual : state.goenv_plan.manual) {
    plan["manual"].push_back({{"subject", manual.subject}, {"advice", manual.advice}});
    readme += "\nby hand: " + manual.subject + ": " + manual.advice + "\n";
  }
  auto selinux = writeSelinuxArtefacts(state, out);
  if (!selinux) return fail(state, selinux.error());
  plan["selinux"] = *selinux;
  if (state.selinux_plan && !state.selinux_plan->findings.empty()) {
    readme += "\n## SELinux\n\n";
    for (const auto& finding : state.selinux_plan->findings) {
      readme += "### " + finding.result.rule + " " + finding.result.subject + " " + finding.result.object + "\n\n";
      for (std::size_t i = 0; i < finding.candidates.size(); ++i) {
        const auto& candidate = finding.candidates[i];
        readme += std::string(i == finding.chosen ? "- **chosen**: " : "- ") + candidate.summary + "\n";
        for (const auto& example : candidate.extra_examples) readme += "  - also grants " + example + "\n";
      }
      readme += "\n";
    }
    readme += "sh " + (final_out / "selinux" / "apply.sh").string() + "            # dry run\n";
    readme += "\n### grant diff\n\n";
    for (const auto& line : state.grant_diff) readme += "    " + line + "\n";
  }
  readme += "\n## proof (the plan applied in memory, the checks run again)\n\n";
  for (const auto& line : state.proof) readme += "- " + line + "\n";
  auto stored = verifyInStore(state, out);
  if (!stored) return fail(state, stored.error());
  if (!stored->empty()) {
    state.proof.push_back(*stored);
    readme += "- " + *stored + "\n";
    plan["proof"].push_back(*stored);
  }
  if (auto written = writeFile(out / "plan.json", plan.dump(2) + "\n", 0644); !written)
    return fail(state, written.error());
  if (auto written = writeFile(out / "PLAN.md", readme, 0644); !written) return fail(state, written.error());
  if (auto committed = staging.commit(); !committed) return fail(state, committed.error());
  std::size_t count = state.acl_plans.size() + (state.goenv_plan.changes.empty() ? 0 : 1) +
                      (state.selinux_plan && !state.selinux_plan->findings.empty() ? 1 : 0);
  std::cout << (count ? "wrote " + std::to_string(count) + " repair(s) to " + final_out.string()
                      : "nothing to repair; wrote the empty plan to " + final_out.string())
            << "\n";
  for (const auto& line : state.proof) std::cout << "  proof: " << line << "\n";
  state.exit_status = kExitPass;
  return StepOutcome::kContinue;
}

}  // namespace modgate::cli
