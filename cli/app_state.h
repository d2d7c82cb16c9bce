#pragma once

#include <optional>
#include <string>
#include <vector>

#include "policygen/acl/acl_plan.h"
#include "policygen/goenv/goenv_plan.h"
#include "policygen/selinux/selinux_plan.h"
#include "scanner/core/error.h"
#include "scanner/core/remedy.h"
#include "scanner/eval/evaluate.h"
#include "scanner/eval/results.h"
#include "scanner/gotool/accounts.h"
#include "scanner/ruleset/reader.h"
#include "scanner/selinux/booleans.h"
#include "scanner/selinux/file_labels.h"
#include "scanner/selinux/policy.h"
#include "scanner/selinux/policy_source.h"
#include "scanner/selinux/query.h"

namespace modgate::cli {

/// Exit statuses (docs/modgate.1.md; stable).
enum ExitStatus : int {
  kExitPass = 0,        ///< allowed / every rule passed
  kExitFail = 1,        ///< denied / a rule failed
  kExitUsage = 2,       ///< usage error or invalid input
  kExitIncomplete = 3,  ///< could not evaluate
};

/// Options of `modgate query`.
struct QueryOptions final {
  std::string domain;
  std::string context;
  std::string connect;
  std::string write;
  std::string read;
  std::string exec;
  std::string root = "/";
  std::string policy;
  std::string format = "text";
};

/// Options of `modgate scan` (and the rule files of `modgate rules validate`).
struct ScanOptions final {
  std::vector<std::string> rules;
  std::string root = "/";
  std::string policy;
  std::vector<std::string> subjects;  ///< --subject: only these subject ids
  std::string format = "text";
  std::string output;                ///< empty: stdout
  std::vector<std::string> reports;  ///< FORMAT=FILE
  std::string fail_on = "low";
  std::string baseline;
};

/// Options of `modgate generate` (rules, root and policy come from ScanOptions).
struct GenerateOptions final {
  std::string out;
  std::vector<std::string> targets = {"selinux", "acl", "goenv"};
  bool no_verify = false;
  bool verify_store = false;
  std::string module_name = "modgate_go";
  std::string prefer = "least-privilege";
};

/// Everything the steps share; each step reads what earlier ones left here.
struct AppState final {
  std::string command;  ///< "query", "scan", "generate" or "rules-validate"
  QueryOptions query;
  ScanOptions scan;
  GenerateOptions generate;
  std::vector<policygen::AclPlan> acl_plans;
  policygen::GoEnvPlan goenv_plan;
  std::optional<policygen::SelinuxPlan> selinux_plan;
  std::vector<std::string> grant_diff;  ///< what the SELinux plan allows beyond today, per tuple
  std::vector<std::string> proof;       ///< what the what-if showed, for PLAN.md
  std::string validate_format = "text";
  ruleset::LoadResult rules;
  std::optional<gotool::Accounts> accounts;
  eval::ScanReport report;
  std::optional<selinux::SelinuxHost> host;
  std::optional<selinux::Policy> policy;
  std::optional<selinux::FileLabeler> labeler;
  std::optional<selinux::BooleanDocs> boolean_docs;
  std::optional<selinux::QueryResult> result;
  std::vector<Remedy> remedies;
  std::optional<Error> error;  ///< set by the step that failed
  int exit_status = kExitPass;
};

/// What a step tells the runner.
enum class StepOutcome { kContinue, kStop };
using Step = StepOutcome (*)(AppState&);

/// The current time, UTC, ISO 8601 (2026-11-21T12:00:00Z).
std::string isoNowUtc();

/// Records err as the reason the command stops, with the exit status it implies.
StepOutcome fail(AppState& state, Error err);

// The steps; each lives in steps/<name>.cpp.
// modgate rules validate:
StepOutcome loadRuleFiles(AppState& state);
StepOutcome printDiagnostics(AppState& state);
// modgate scan:
StepOutcome collectHostFacts(AppState& state);
StepOutcome discoverSubjects(AppState& state);
StepOutcome evaluateRules(AppState& state);
StepOutcome planRemedies(AppState& state);
StepOutcome compareWithBaseline(AppState& state);
StepOutcome writeScanReports(AppState& state);
// modgate generate (after the scan's first four steps):
StepOutcome planRepairs(AppState& state);
StepOutcome proveRepairs(AppState& state);
StepOutcome writeArtefacts(AppState& state);
// modgate query:
StepOutcome locateSelinuxPolicy(AppState& state);
StepOutcome loadSelinuxPolicy(AppState& state);
StepOutcome openFileLabeler(AppState& state);
StepOutcome answerQuery(AppState& state);
StepOutcome planBooleanRemedies(AppState& state);
StepOutcome writeQueryReport(AppState& state);
StepOutcome writeError(AppState& state);

/// Parses argv into state; returns false with state.exit_status set when the
/// program should stop (help, version, usage error).
bool parseCommandLine(AppState& state, int argc, char** argv);

}  // namespace modgate::cli
